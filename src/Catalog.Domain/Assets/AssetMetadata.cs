namespace Catalog.Domain.Assets;

/// <summary>
/// The seed's descriptive columns of one kind of asset — everything but id, filename, production_id,
/// created_at and the content columns (file_size, binary_data, mime_type), which every kind shares.
/// </summary>
/// <remarks>The record's constructor parameters are the columns, in the seed's order (<see cref="AssetKindInfo.Fields"/>).</remarks>
public interface IAssetMetadata
{
    /// <summary>The kind's entry in <see cref="AssetKinds"/>.</summary>
    static abstract AssetKind Kind { get; }

    /// <summary>The kind's <c>*_type</c> value (image_type, video_type, audio_type).</summary>
    string Type { get; }

    /// <summary>What is wrong with these values; empty when they are fine.</summary>
    IEnumerable<string> Problems();
}

/// <summary>The seed's <c>images</c> columns.</summary>
public sealed record ImageMetadata(
    string ImageType, string? ClipId, string? Prompt, string? Size, string? Mode, double? Cfg, int? Steps) : IAssetMetadata
{
    public static AssetKind Kind => AssetKind.Image;
    string IAssetMetadata.Type => ImageType;

    IEnumerable<string> IAssetMetadata.Problems()
    {
        foreach (var p in MetadataRules.Type(ImageType, "image_type", AssetKinds.Of<ImageMetadata>().WellKnownTypes)) yield return p;
        foreach (var p in MetadataRules.Text(ClipId, "clip_id", 200)) yield return p;
        foreach (var p in MetadataRules.Text(Prompt, "prompt", 20_000, freeText: true)) yield return p;
        foreach (var p in MetadataRules.Text(Size, "size", 50)) yield return p;
        foreach (var p in MetadataRules.Text(Mode, "mode", 100)) yield return p;
        foreach (var p in MetadataRules.Number(Cfg, "cfg")) yield return p;
        foreach (var p in MetadataRules.Number(Steps, "steps")) yield return p;
    }
}

/// <summary>The seed's <c>videos</c> columns.</summary>
public sealed record VideoMetadata(
    string VideoType, string? ClipId, double? Duration, string? Resolution, int? Fps,
    string? SourceImageFilename, string? Prompt, string? CameraControl) : IAssetMetadata
{
    public static AssetKind Kind => AssetKind.Video;
    string IAssetMetadata.Type => VideoType;

    IEnumerable<string> IAssetMetadata.Problems()
    {
        foreach (var p in MetadataRules.Type(VideoType, "video_type", AssetKinds.Of<VideoMetadata>().WellKnownTypes)) yield return p;
        foreach (var p in MetadataRules.Text(ClipId, "clip_id", 200)) yield return p;
        foreach (var p in MetadataRules.Number(Duration, "duration")) yield return p;
        foreach (var p in MetadataRules.Text(Resolution, "resolution", 50)) yield return p;
        foreach (var p in MetadataRules.Number(Fps, "fps")) yield return p;
        foreach (var p in MetadataRules.Text(SourceImageFilename, "source_image_filename", AssetFilenames.MaxLength)) yield return p;
        foreach (var p in MetadataRules.Text(Prompt, "prompt", 20_000, freeText: true)) yield return p;
        foreach (var p in MetadataRules.Text(CameraControl, "camera_control", 2_000, freeText: true)) yield return p;
    }
}

/// <summary>The seed's <c>audio</c> columns.</summary>
public sealed record AudioMetadata(string AudioType, double? Duration, int? SampleRate) : IAssetMetadata
{
    public static AssetKind Kind => AssetKind.Audio;
    string IAssetMetadata.Type => AudioType;

    IEnumerable<string> IAssetMetadata.Problems()
    {
        foreach (var p in MetadataRules.Type(AudioType, "audio_type", AssetKinds.Of<AudioMetadata>().WellKnownTypes)) yield return p;
        foreach (var p in MetadataRules.Number(Duration, "duration")) yield return p;
        foreach (var p in MetadataRules.Number(SampleRate, "sample_rate")) yield return p;
    }
}

internal static class MetadataRules
{
    /// <summary>
    /// The kind's <c>*_type</c>: TEXT in the seed, so any value is kept — non-empty, without white space around it, at most
    /// 64 characters, no control characters. The seed's comment lists the well-known ones (<paramref name="wellKnown"/>).
    /// </summary>
    public static IEnumerable<string> Type(string? value, string field, IReadOnlyList<string> wellKnown)
    {
        if (string.IsNullOrWhiteSpace(value)) yield return $"{field} is required (the well-known ones: {string.Join(", ", wellKnown)}).";
        else if (value != value.Trim()) yield return $"{field} '{value}' may not start or end with white space.";
        else if (TextRules.Problem(value, field, TypeMaxLength) is { } problem) yield return problem;
    }

    public const int TypeMaxLength = 64;

    public static IEnumerable<string> Text(string? value, string field, int maxLength, bool freeText = false)
    {
        if (TextRules.Problem(value, field, maxLength, freeText) is { } problem) yield return problem;
    }

    /// <summary>
    /// A number column (cfg, steps, duration, fps, sample_rate): finite and not negative — 0 is kept (apps write it for
    /// "unknown"); there is no upper bound, the seed's comments give common values, not limits.
    /// </summary>
    public static IEnumerable<string> Number(double? value, string field)
    {
        if (value is { } d && (!double.IsFinite(d) || d < 0)) yield return $"{field} must be a number of 0 or more, not {d}.";
    }
}
