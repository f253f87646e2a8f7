namespace Catalog.Domain;

/// <summary>
/// Event stream keys: <c>{prefix}:{id}</c> — one stream per production (<c>production:{id}</c>,
/// <see cref="Productions.Production.StreamKey"/>) and one per asset (<c>image:{id}</c>, <c>video:{id}</c>,
/// <c>audio:{id}</c>, <see cref="Assets.Asset{TMetadata}.StreamKey"/>). The prefix keeps a caller-chosen production id
/// from ever meeting an asset's stream.
/// </summary>
public static class StreamKeys
{
    public static string Of(string prefix, string id) => $"{prefix}:{id}";

    /// <summary><c>image:42</c> → (image, 42); <c>production:prod_x</c> → (production, prod_x); a key without a prefix → (key, "").</summary>
    public static (string Prefix, string Id) Split(string streamKey)
    {
        var colon = streamKey.IndexOf(':');
        return colon < 0 ? (streamKey, "") : (streamKey[..colon], streamKey[(colon + 1)..]);
    }
}
