using System.Text.RegularExpressions;

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
public sealed partial record ImageMetadata(
    string ImageType, string? ClipId, string? Prompt, string? Size, string? Mode, double? Cfg, int? Steps) : IAssetMetadata
{
    public static AssetKind Kind => AssetKind.Image;
    string IAssetMetadata.Type => ImageType;

    [GeneratedRegex("^[1-9][0-9]{0,5}x[1-9][0-9]{0,5}$")]
    private static partial Regex SizePattern();

    IEnumerable<string> IAssetMetadata.Problems()
    {
        foreach (var p in MetadataRules.Type(ImageType, "image_type", AssetKinds.Of<ImageMetadata>().WellKnownTypes)) yield return p;
        foreach (var p in MetadataRules.Text(ClipId, "clip_id", 200)) yield return p;
        foreach (var p in MetadataRules.Text(Prompt, "prompt", 20_000, freeText: true)) yield return p;
        if (Size is not null && !SizePattern().IsMatch(Size)) yield return $"size '{Size}' is not WIDTHxHEIGHT (e.g. 1024x576).";
        foreach (var p in MetadataRules.Text(Mode, "mode", 100)) yield return p;
        if (Cfg is { } cfg && (!double.IsFinite(cfg) || cfg < 0)) yield return "cfg must be a non-negative number.";
        if (Steps is < 1) yield return "steps must be a positive integer.";
    }
}

/// <summary>The seed's <c>videos</c> columns.</summary>
public sealed partial record VideoMetadata(
    string VideoType, string? ClipId, double? Duration, string? Resolution, int? Fps,
    string? SourceImageFilename, string? Prompt, string? CameraControl) : IAssetMetadata
{
    public static AssetKind Kind => AssetKind.Video;
    string IAssetMetadata.Type => VideoType;

    IEnumerable<string> IAssetMetadata.Problems()
    {
        foreach (var p in MetadataRules.Type(VideoType, "video_type", AssetKinds.Of<VideoMetadata>().WellKnownTypes)) yield return p;
        foreach (var p in MetadataRules.Text(ClipId, "clip_id", 200)) yield return p;
        foreach (var p in MetadataRules.Duration(Duration)) yield return p;
        foreach (var p in MetadataRules.Text(Resolution, "resolution", 50)) yield return p;
        if (Fps is < 1 or > 1000) yield return "fps must be an integer from 1 to 1000.";
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
        foreach (var p in MetadataRules.Duration(Duration)) yield return p;
        if (SampleRate is < 1 or > 1_000_000) yield return "sample_rate must be an integer from 1 to 1000000 (Hz).";
    }
}

internal static class MetadataRules
{
    public static IEnumerable<string> Type(string? value, string field, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrEmpty(value)) yield return $"{field} is required; use one of: {string.Join(", ", allowed)}.";
        else if (TextRules.Problem(value, field, 64) is { } problem) yield return problem;
        else if (!allowed.Contains(value)) yield return $"{field} '{value}' is not one of: {string.Join(", ", allowed)}.";
    }

    public static IEnumerable<string> Text(string? value, string field, int maxLength, bool freeText = false)
    {
        if (TextRules.Problem(value, field, maxLength, freeText) is { } problem) yield return problem;
    }

    public static IEnumerable<string> Duration(double? seconds)
    {
        if (seconds is { } d && (!double.IsFinite(d) || d < 0)) yield return "duration must be a non-negative number of seconds.";
    }
}
