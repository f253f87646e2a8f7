using Catalog.Domain.Assets;

namespace Catalog.Domain;

/// <summary>
/// Event stream keys: one stream per production (<c>production:{id}</c>) and one per asset
/// (<c>image:{id}</c>, <c>video:{id}</c>, <c>audio:{id}</c>). The prefix keeps a caller-chosen
/// production id from ever meeting an asset's stream.
/// </summary>
public static class StreamKeys
{
    public const string ProductionPrefix = "production";

    public static string Production(string productionId) => $"{ProductionPrefix}:{productionId}";

    public static string Asset(AssetKind kind, long assetId) => $"{kind.Name()}:{assetId}";

    public static string Asset<TMetadata>(long assetId) where TMetadata : IAssetMetadata
        => Asset(TMetadata.Kind, assetId);

    /// <summary><c>image:42</c> → (image, 42); <c>production:prod_x</c> → (production, prod_x); a key without a prefix → (key, "").</summary>
    public static (string Prefix, string Id) Split(string streamKey)
    {
        var colon = streamKey.IndexOf(':');
        return colon < 0 ? (streamKey, "") : (streamKey[..colon], streamKey[(colon + 1)..]);
    }
}
