using System.Buffers;
using System.Text;
using MetadataExtractor.Util;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// The MIME type of media bytes, from their first bytes (never from a file name or a client's header).
/// MetadataExtractor recognises the common image, video and audio containers; the few it does not
/// (WebM, FLAC, Ogg, AIFF, AAC in ADTS, RF64), the audio-only MP4 brands (M4A) and the HEIF still images in MP4's boxes (AVIF, HEIC) are told
/// apart by their published signatures.
/// </summary>
public static class MediaTypes
{
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4) return null;
        if (head.StartsWith("fLaC"u8)) return "audio/flac";
        if (head.StartsWith("OggS"u8)) return Ogg.StartsWithTheora(head) ? "video/ogg" : "audio/ogg";
        if (MpegAudio.Id3Length(head) is { } tag) // an MP3 (or an AAC) that starts with its ID3v2 tag
            return tag < head.Length && MpegAudio.IsAdts(head[(int)tag..]) ? "audio/aac" : "audio/mpeg";
        if (MpegAudio.IsAdts(head)) return "audio/aac"; // AAC in ADTS
        if ((head.StartsWith("RF64"u8) || head.StartsWith("BW64"u8)) && head.Length >= 12 && head[8..12].SequenceEqual("WAVE"u8)) return "audio/wav"; // a WAV past 4 GiB
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return IsWebm(head) ? "video/webm" : "video/x-matroska";
        if (head.StartsWith("FORM"u8) && head.Length >= 12 && (head[8..12].SequenceEqual("AIFF"u8) || head[8..12].SequenceEqual("AIFC"u8))) return "audio/aiff";
        if (IsIsoMedia(head, out var brand)) // MP4's boxes: audio (the M4A brands), a HEIF still image, else a movie
            return brand is "M4A " or "M4B " or "M4P " ? "audio/mp4" : HeifImage(head) ?? IsoMovie(brand);
        if (Signed(head) is { } signed) return signed;

        // MetadataExtractor reads a stream: the head is lent to it in a pooled copy (a new 4 KiB array for every file was
        // an eighth of what a small file's import allocated).
        FileType type;
        var copy = ArrayPool<byte>.Shared.Rent(head.Length);
        try
        {
            head.CopyTo(copy);
            using var stream = new MemoryStream(copy, 0, head.Length, writable: false);
            type = FileTypeDetector.DetectFileType(stream);
        }
        catch (IOException)
        {
            return null; // too short to tell
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }

        return type switch
        {
            FileType.Png => "image/png",
            FileType.Jpeg => "image/jpeg",
            FileType.Gif => "image/gif",
            FileType.WebP => "image/webp",
            FileType.Bmp => "image/bmp",
            FileType.Tiff => "image/tiff",
            FileType.Mp4 => "video/mp4",
            FileType.QuickTime => "video/quicktime",
            FileType.Avi => "video/x-msvideo",
            FileType.Wav => "audio/wav",
            FileType.Mp3 => "audio/mpeg",
            _ => Unsigned(head, type),
        };
    }

    /// <summary>The less common formats with a signature of their own (sound, movies, still images), or null.</summary>
    private static string? Signed(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("FLV\x01"u8)) return "video/x-flv";
        if (head.StartsWith(Asf.HeaderGuid)) return Asf.HasVideo(head) ? "video/x-ms-wmv" : "audio/x-ms-wma";
        if (head.StartsWith(".snd"u8)) return "audio/basic";
        if (head.StartsWith(Riff.Wave64Guid) && head.Length >= 40 && head[24..40].SequenceEqual(Riff.Wave64Form)) return "audio/x-w64";
        if (head.StartsWith("caff"u8)) return "audio/x-caf";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x7F, 0xFE, 0x80, 0x01])) return "audio/vnd.dts";
        if (head.StartsWith("#!AMR-WB\n"u8)) return "audio/amr-wb";
        if (head.StartsWith("#!AMR\n"u8)) return "audio/amr";
        if (head.StartsWith("wvpk"u8)) return "audio/x-wavpack";
        if (head.StartsWith("TTA1"u8)) return "audio/x-tta";
        if (head.StartsWith("Creative Voice File\x1A"u8)) return "audio/x-voc";
        if (head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A])) return "image/jp2";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x76, 0x2F, 0x31, 0x01])) return "image/x-exr";
        if (head.StartsWith("DDS |\0\0\0"u8)) return "image/vnd-ms.dds";
        if (head.StartsWith("8BPS"u8)) return "image/vnd.adobe.photoshop";
        return null;
    }

    /// <summary>
    /// Formats told by their structure rather than a signature, checked only when nothing above matched: a transport stream
    /// (a sync byte every packet), a program stream (a pack header), Dolby Digital (two frames in a row), an SVG document;
    /// then what MetadataExtractor tells from a short header (icons, Netpbm, Targa).
    /// </summary>
    private static string? Unsigned(ReadOnlySpan<byte> head, FileType type)
    {
        if (MpegStreams.IsTransportStream(head)) return "video/mp2t";
        if (head.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0xBA])) return "video/mpeg";
        if (SoundFiles.Ac3Frame(head) is { } frame && (frame.Length >= head.Length || SoundFiles.Ac3Frame(head[frame.Length..]) is not null))
            return frame.Enhanced ? "audio/eac3" : "audio/ac3";
        if (StillImages.IsSvg(head)) return "image/svg+xml";
        return type switch
        {
            FileType.Ico => "image/x-icon",
            FileType.Tga => "image/x-tga",
            FileType.Netpbm => head[1] switch
            {
                (byte)'1' or (byte)'4' => "image/x-portable-bitmap",
                (byte)'2' or (byte)'5' => "image/x-portable-graymap",
                (byte)'3' or (byte)'6' => "image/x-portable-pixmap",
                _ => "image/x-portable-arbitrarymap",
            },
            _ => null,
        };
    }

    /// <summary>
    /// The audio type of a movie container that holds sound only — no picture track: an audio-only WebM (a browser's
    /// recording, a download's audio track), a Matroska audio file (<c>.mka</c>), an MP4 or 3GP whose brand is not M4A's (a
    /// phone's voice memo, AAC written to <c>.mp4</c>). Its first bytes name only the container, so <see cref="Detect"/> says
    /// <c>video/…</c>; what it holds is read by <see cref="MediaContainers.SoundOnlyAs"/> or a probe. Null for other types.
    /// </summary>
    public static string? SoundOnlyForm(string mimeType) => mimeType switch
    {
        "video/webm" => "audio/webm",
        "video/x-matroska" => "audio/x-matroska",
        "video/mp4" => "audio/mp4",
        "video/3gpp" => "audio/3gpp",
        "video/3gpp2" => "audio/3gpp2",
        "video/mp2t" => "audio/mp2t", // an HLS audio rendition, a radio recording
        _ => null,
    };

    /// <summary>An ISO base media file (MP4, MOV, M4A): "ftyp" at offset 4, then the major brand.</summary>
    private static bool IsIsoMedia(ReadOnlySpan<byte> head, out string brand)
    {
        brand = "";
        if (head.Length < 12 || !head[4..8].SequenceEqual("ftyp"u8)) return false;
        brand = Encoding.ASCII.GetString(head[8..12]);
        return true;
    }

    /// <summary>
    /// A movie in ISO base media boxes, by its major brand: QuickTime's own (<c>qt  </c>), 3GPP's (<c>3gp…</c>, <c>3g2…</c>), else
    /// MP4 — whatever the brand (<c>isom</c>, <c>mp42</c>, and the fragmented and streaming ones a browser, a live encoder
    /// or a DASH/CMAF packager writes: <c>iso5</c>, <c>iso6</c>, <c>cmfc</c>, <c>dash</c>, …, which MetadataExtractor takes
    /// for QuickTime). Null for a camera's raw picture in the same boxes (Canon's <c>crx </c>).
    /// </summary>
    private static string? IsoMovie(string brand) => brand switch
    {
        "crx " => null,
        "qt  " => "video/quicktime",
        _ when brand.StartsWith("3g2", StringComparison.Ordinal) => "video/3gpp2",
        _ when brand.StartsWith("3g", StringComparison.Ordinal) => "video/3gpp",
        _ => "video/mp4",
    };

    /// <summary>
    /// A HEIF still image, from the brands its <c>ftyp</c> box lists (major and compatible): AVIF (<c>avif</c>, <c>avis</c>),
    /// HEIC (<c>heic</c>, <c>heix</c>, <c>heim</c>, <c>heis</c>), else plain HEIF (<c>mif1</c>, <c>msf1</c>); null for the
    /// movies that share the boxes.
    /// </summary>
    private static string? HeifImage(ReadOnlySpan<byte> head)
    {
        var end = Math.Min(head.Length, (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head), 4096));
        var brands = new List<string>();
        for (var at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) // the major brand, the minor version (skipped), the compatible brands
            brands.Add(Encoding.ASCII.GetString(head.Slice(at, 4)));
        if (brands.Any(b => b is "avif" or "avis")) return "image/avif";
        if (brands.Any(b => b is "heic" or "heix" or "heim" or "heis")) return "image/heic";
        return brands.Any(b => b is "mif1" or "msf1") ? "image/heif" : null;
    }

    /// <summary>Matroska's EBML header names its DocType; WebM is the Matroska profile called "webm".</summary>
    private static bool IsWebm(ReadOnlySpan<byte> head) => head[..Math.Min(head.Length, 64)].IndexOf("webm"u8) >= 0;
}
