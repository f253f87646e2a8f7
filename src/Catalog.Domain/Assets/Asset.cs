namespace Catalog.Domain.Assets;

/// <summary>The write-side state of one asset of any kind.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Asset{TMetadata}"/>); the event store identifies the state by it.</param>
public sealed record Asset<TMetadata>(string Key, long AssetId, string Filename, string? ProductionId, TMetadata Metadata, bool IsDeleted)
    where TMetadata : IAssetMetadata
{
    /// <summary>The state after one more event (null before the stream's first event).</summary>
    public static Asset<TMetadata>? Evolve(Asset<TMetadata>? state, object @event) => (state, @event) switch
    {
        (null, AssetRegistered<TMetadata> e) => new Asset<TMetadata>(StreamKeys.Asset<TMetadata>(e.AssetId), e.AssetId, e.Filename, e.ProductionId, e.Metadata, false),
        (not null, AssetMetadataCorrected<TMetadata> e) => state with { Metadata = e.Metadata },
        (not null, AssetMovedToProduction<TMetadata> e) => state with { ProductionId = e.ProductionId },
        (not null, AssetDetachedFromProduction<TMetadata>) => state with { ProductionId = null },
        (not null, AssetDeleted<TMetadata>) => state with { IsDeleted = true },
        _ => state,
    };
}
