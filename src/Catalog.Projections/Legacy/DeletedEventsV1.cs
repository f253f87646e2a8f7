using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Marten.Events;

namespace Catalog.Projections.Legacy;

/// <summary>
/// Event evolution, version 1 → 2. Deleting was final until the trash came; its events were stored as
/// <c>production.deleted</c> and <c>{kind}.deleted</c> with <c>deleted_by</c>/<c>deleted_at</c>. Since then a
/// deletion moves to the trash and is stored as <c>production.trashed</c> / <c>{kind}.trashed</c>
/// (<see cref="ProductionTrashed"/>, <see cref="AssetTrashed{TMetadata}"/>). Stored events are never rewritten:
/// these v1 records read the old ones, and the upcasters below turn them into v2 as they are read — by
/// aggregates, projections, rebuilds and time travel alike. The history shows them under their stored name.
/// </summary>
public static class DeletedEventsV1
{
    public sealed record ProductionDeletedV1(string ProductionId, string DeletedBy, DateTimeOffset DeletedAt);

    public sealed record AssetDeletedV1<TMetadata>(long AssetId, string? CascadedFromProductionId, string DeletedBy, DateTimeOffset DeletedAt)
        where TMetadata : IAssetMetadata;

    public static void UpcastDeletedEvents(this IEventStoreOptions events)
    {
        events.Upcast<ProductionDeletedV1, ProductionTrashed>("production.deleted",
            v1 => new ProductionTrashed(v1.ProductionId, v1.DeletedBy, v1.DeletedAt));
        foreach (var kind in AssetKinds.All) kind.Accept(new AssetDeletedUpcaster(events));
    }

    private sealed class AssetDeletedUpcaster(IEventStoreOptions events) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            events.Upcast<AssetDeletedV1<TMetadata>, AssetTrashed<TMetadata>>($"{TMetadata.Kind.Name()}.deleted",
                v1 => new AssetTrashed<TMetadata>(v1.AssetId, v1.CascadedFromProductionId, v1.DeletedBy, v1.DeletedAt));
            return true;
        }
    }
}
