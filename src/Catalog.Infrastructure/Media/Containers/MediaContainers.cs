namespace Catalog.Infrastructure.Media;

/// <summary>
/// The audio and video formats (and the HEIF still images, whose boxes are MP4's, and the still images beyond the web's:
/// <see cref="StillImages"/>) the catalog reads in process, by MIME type: each reader walks the container's own
/// structure (headers and tables, never the coded pictures or sound) to tell whether the file is whole and to read its
/// numbers — one pass over the headers, flat memory, no process started.
/// </summary>
public static class MediaContainers
{
    private static Func<ContainerFile, ContainerReport>? ReaderOf(string mimeType) => mimeType switch
    {
        "video/mp4" or "video/quicktime" or "video/3gpp" or "video/3gpp2" or "audio/mp4" or "audio/3gpp" or "audio/3gpp2" => IsoMedia.Read,
        "image/avif" or "image/heic" or "image/heif" => IsoMedia.ReadImage,
        "video/webm" or "video/x-matroska" or "audio/webm" or "audio/x-matroska" => Matroska.Read,
        "audio/wav" or "video/x-msvideo" => Riff.Read,
        "audio/aiff" => Riff.ReadAiff,
        "audio/x-w64" => Riff.ReadWave64,
        "audio/mpeg" or "audio/aac" => MpegAudio.Read,
        "audio/flac" => Flac.Read,
        "audio/ogg" or "video/ogg" => Ogg.Read,
        "video/mp2t" or "audio/mp2t" => MpegStreams.ReadTransport,
        "video/mpeg" => MpegStreams.ReadProgram,
        "video/x-flv" => Flv.Read,
        "video/x-ms-wmv" or "audio/x-ms-wma" => Asf.Read,
        "audio/basic" => SoundFiles.ReadAu,
        "audio/x-caf" => SoundFiles.ReadCaf,
        "audio/ac3" or "audio/eac3" => SoundFiles.ReadAc3,
        "image/x-icon" => StillImages.ReadIco,
        "image/vnd.adobe.photoshop" => StillImages.ReadPsd,
        "image/x-portable-bitmap" or "image/x-portable-graymap" or "image/x-portable-pixmap" or "image/x-portable-arbitrarymap" => StillImages.ReadNetpbm,
        "image/x-tga" => StillImages.ReadTga,
        "image/svg+xml" => StillImages.ReadSvg,
        "image/jp2" => StillImages.ReadJp2,
        "image/x-exr" => StillImages.ReadExr,
        "image/vnd-ms.dds" => StillImages.ReadDds,
        _ => null,
    };

    /// <summary>Whether this MIME type has an in-process reader.</summary>
    public static bool Reads(string mimeType) => ReaderOf(mimeType) is not null;

    /// <summary>What the file's structure says, or null for a format without a reader here.</summary>
    public static ContainerReport? Read(string path, string mimeType) =>
        ReaderOf(mimeType) is { } reader ? ContainerFile.Run(path, reader) : null;

    /// <summary>
    /// The audio type (<see cref="MediaTypes.SoundOnlyForm"/>) of a movie container that holds sound only, read from its
    /// structure; null when it has a picture track, is damaged, or is not such a container.
    /// </summary>
    public static string? SoundOnlyAs(string path, string mimeType) =>
        MediaTypes.SoundOnlyForm(mimeType) is { } sound && Read(path, mimeType) is { Facts.SoundOnly: true } ? sound : null;
}
