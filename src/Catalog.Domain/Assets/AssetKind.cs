namespace Catalog.Domain.Assets;

public enum AssetKind
{
    Image,
    Video,
    Audio,
}

public static class AssetKindNames
{
    /// <summary>The singular, lower-case name used in routes, stream keys and event names: image, video, audio.</summary>
    public static string Name(this AssetKind kind) => kind switch
    {
        AssetKind.Image => "image",
        AssetKind.Video => "video",
        AssetKind.Audio => "audio",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The seed's table name: images, videos, audio.</summary>
    public static string Table(this AssetKind kind) => kind switch
    {
        AssetKind.Image => "images",
        AssetKind.Video => "videos",
        AssetKind.Audio => "audio",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>For messages: an image, a video, an audio track.</summary>
    public static string WithArticle(this AssetKind kind) => kind switch
    {
        AssetKind.Image => "an image",
        AssetKind.Video => "a video",
        AssetKind.Audio => "an audio track",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out AssetKind kind)
    {
        foreach (var candidate in Enum.GetValues<AssetKind>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal) ||
                string.Equals(candidate.Table(), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
