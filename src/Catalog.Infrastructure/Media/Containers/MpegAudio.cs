using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// MPEG audio (MP3, and layers I and II), after ISO/IEC 11172-3 and 13818-3: past an ID3v2 tag, frame follows frame,
/// each header giving its own length; the last one must be whole (an ID3v1 or APE tag may follow). The sample rate is the
/// first frame's; the length is the frame count (from a Xing/Info or VBRI header, else counted) times the samples a frame
/// holds, over the rate. AAC in ADTS (<c>.aac</c>) is walked the same way: frame after frame, each with its own length.
/// </summary>
internal static class MpegAudio
{
    private static readonly int[,] Bitrates =
    {
        // MPEG-1 layers I, II, III; MPEG-2/2.5 layer I, layers II and III (kbit/s, by index 0-15)
        { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0 },
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0 },
        { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0 },
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0 },
        { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0 },
    };

    private static readonly int[] Rates = [44_100, 48_000, 32_000];

    internal readonly record struct Frame(int Version, int Layer, int SampleRate, int Length, int Samples, bool Mono);

    public static ContainerReport Read(ContainerFile file)
    {
        long offset = 0;
        // ID3v2 tags (there may be several): "ID3", version, flags, a 28-bit size, and a footer when flagged.
        while (Id3Length(file.At(offset, 10)) is { } tagLength)
        {
            offset += tagLength;
            if (offset > file.Length) return ContainerReport.Damaged($"the ID3 tag declares {offset:N0} bytes, the file has {file.Length:N0}: truncated");
        }

        // The first frame: where two headers in a row agree (up to 64 KiB of padding or junk before it).
        Frame first = default;
        var start = -1L;
        for (var scan = offset; scan < Math.Min(file.Length, offset + 64 * 1024) && start < 0; scan++)
            if (Header(file, scan) is { } frame && (scan + frame.Length >= file.Length || Header(file, scan + frame.Length) is { } next && Same(frame, next)))
                (first, start) = (frame, scan);
        if (start < 0) return ContainerReport.Damaged("no MPEG audio frame found: damaged");

        long frames = 0, position = start;
        while (position < file.Length)
        {
            if (Header(file, position) is not { } frame || !Same(frame, first))
                break; // a tag at the end (ID3v1 "TAG", APE, Lyrics3) or trailing bytes that are no frame: the frames ended
            if (position + frame.Length > file.Length)
                return ContainerReport.Damaged($"the frame at byte {position:N0} needs {frame.Length:N0} bytes, the file ends {file.Length - position:N0} bytes after it starts: truncated");
            frames++;
            position += frame.Length;
        }

        if (XingFrames(file, start, first) is { } declared)
        {
            frames = declared;
        }
        return ContainerReport.Read(new MediaFacts(null, null, Math.Round(frames * (double)first.Samples / first.SampleRate, 3), null, first.SampleRate));
    }

    /// <summary>The whole length of the ID3v2 tag these bytes start: its 10-byte header, the 28-bit size it gives, and a footer when flagged; null when they start none.</summary>
    internal static long? Id3Length(ReadOnlySpan<byte> tag) =>
        tag is { Length: >= 10 } && tag.StartsWith("ID3"u8)
            ? 10L + ((tag[6] & 0x7F) << 21 | (tag[7] & 0x7F) << 14 | (tag[8] & 0x7F) << 7 | (tag[9] & 0x7F)) + ((tag[5] & 0x10) != 0 ? 10 : 0)
            : null;

    /// <summary>Whether these bytes start an ADTS header (AAC): MPEG audio's sync word with the "layer" bits 00.</summary>
    internal static bool IsAdts(ReadOnlySpan<byte> h) => h is [0xFF, var b, ..] && (b & 0xF6) == 0xF0;

    private static bool Same(Frame a, Frame b) => a.Version == b.Version && a.Layer == b.Layer && a.SampleRate == b.SampleRate;

    /// <summary>A frame header at <paramref name="offset"/>, or null when the bytes there are none.</summary>
    private static Frame? Header(ContainerFile file, long offset) => FrameAt(file.At(offset, 7));

    /// <summary>The frame header these bytes start (MPEG audio, or AAC in ADTS), or null when they start none.</summary>
    internal static Frame? FrameAt(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4 || h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return null;
        if (IsAdts(h)) return AdtsHeader(h);
        var version = (h[1] >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        var layer = 4 - ((h[1] >> 1) & 3); // 1, 2, 3
        var bitrateIndex = h[2] >> 4;
        var rateIndex = (h[2] >> 2) & 3;
        if (version == 1 || layer == 4 || bitrateIndex is 0 or 15 || rateIndex == 3) return null;
        var padding = (h[2] >> 1) & 1;
        var rate = Rates[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        var bitrate = 1000 * Bitrates[version == 3 ? layer - 1 : layer == 1 ? 3 : 4, bitrateIndex];
        var (length, samples) = layer switch
        {
            1 => ((12 * bitrate / rate + padding) * 4, 384),
            2 => (144 * bitrate / rate + padding, 1152),
            _ => ((version == 3 ? 144 : 72) * bitrate / rate + padding, version == 3 ? 1152 : 576),
        };
        return new Frame(version, layer, rate, length, samples, (h[3] >> 6) == 3);
    }

    /// <summary>
    /// An AAC frame in ADTS (ISO/IEC 13818-7; the "layer" bits 00 of an MPEG audio header): the sampling frequency by
    /// index, the frame's length in 13 bits, and 1 to 4 raw blocks of 1,024 samples each. Marked as layer 0.
    /// </summary>
    private static Frame? AdtsHeader(ReadOnlySpan<byte> h)
    {
        if (h.Length < 7) return null;
        var rateIndex = (h[2] >> 2) & 0xF;
        var length = (h[3] & 3) << 11 | h[4] << 3 | h[5] >> 5;
        if (rateIndex >= AacRates.Length || length < 7) return null;
        return new Frame(Version: 4, Layer: 0, AacRates[rateIndex], length, Samples: 1024 * ((h[6] & 3) + 1), Mono: false);
    }

    private static readonly int[] AacRates = [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350];

    /// <summary>The frame count a Xing/Info (LAME) or VBRI header in the first frame declares (MP3 only).</summary>
    private static long? XingFrames(ContainerFile file, long start, Frame first)
    {
        if (first.Layer == 0) return null;
        var sideInfo = first.Version == 3 ? (first.Mono ? 17 : 32) : (first.Mono ? 9 : 17);
        var xing = file.At(start + 4 + sideInfo, 12);
        if (xing.Length == 12 && (xing.StartsWith("Xing"u8) || xing.StartsWith("Info"u8)) && (xing[7] & 1) != 0)
            return BinaryPrimitives.ReadUInt32BigEndian(xing[8..]);
        var vbri = file.At(start + 4 + 32, 18);
        if (vbri.Length == 18 && vbri.StartsWith("VBRI"u8)) return BinaryPrimitives.ReadUInt32BigEndian(vbri[14..]);
        return null;
    }
}
