namespace Catalog.Domain.Assets;

/// <summary>The write-side state of one asset of any kind, in full so a restore can bring it back.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Asset{TMetadata}"/>); the event store identifies the state by it.</param>
/// <param name="IsDeleted">In the trash (or purged from it).</param>
public sealed record Asset<TMetadata>(string Key, long AssetId, string Filename, string? ProductionId, TMetadata Metadata, bool IsDeleted)
    where TMetadata : IAssetMetadata
{
    public StoredContent Content { get; init; } = null!;
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Purged from the trash: gone for good, but for its history.</summary>
    public bool IsPurged { get; init; }

    /// <summary>The state after one more event (null before the stream's first event).</summary>
    public static Asset<TMetadata>? Evolve(Asset<TMetadata>? state, object @event) => (state, @event) switch
    {
        (null, AssetRegistered<TMetadata> e) => new Asset<TMetadata>(StreamKeys.Asset<TMetadata>(e.AssetId), e.AssetId, e.Filename, e.ProductionId, e.Metadata, false)
        {
            Content = e.Content,
            CreatedAt = e.CreatedAt,
        },
        (not null, AssetMetadataCorrected<TMetadata> e) => state with { Metadata = e.Metadata },
        (not null, AssetMovedToProduction<TMetadata> e) => state with { ProductionId = e.ProductionId },
        (not null, AssetDetachedFromProduction<TMetadata>) => state with { ProductionId = null },
        (not null, AssetTrashed<TMetadata>) => state with { IsDeleted = true },
        (not null, AssetRestored<TMetadata>) => state with { IsDeleted = false },
        (not null, AssetPurged<TMetadata>) => state with { IsPurged = true },
        _ => state,
    };
}
