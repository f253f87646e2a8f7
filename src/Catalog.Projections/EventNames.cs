using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Legacy;
using Marten.Events;

namespace Catalog.Projections;

/// <summary>
/// The stored name of every event type: <c>{stream}.{what_happened}</c>. These names are the contract
/// with the events already in the database: never rename one; add a new type and an upcaster from the old
/// one instead (<see cref="Legacy.DeletedEventsV1"/> is the example).
/// </summary>
public static class EventNames
{
    public static void MapCatalogEventTypes(this IEventStoreOptions events)
    {
        events.MapEventType<ProductionCreated>("production.created");
        events.MapEventType<ProductionImported>("production.imported");
        events.MapEventType<ProductionDetailsChanged>("production.details_changed");
        events.MapEventType<ProductionAudioAttached>("production.audio_attached");
        events.MapEventType<ProductionStoryboardReplaced>("production.storyboard_replaced");
        events.MapEventType<ProductionSettingsReplaced>("production.settings_replaced");
        events.MapEventType<ProductionStatusChanged>("production.status_changed");
        events.MapEventType<ProductionTrashed>("production.trashed");
        events.MapEventType<ProductionRestored>("production.restored");
        events.MapEventType<ProductionPurged>("production.purged");

        foreach (var kind in AssetKinds.All) kind.Accept(new AssetEventNames(events));

        events.UpcastDeletedEvents();
    }

    private sealed class AssetEventNames(IEventStoreOptions events) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = TMetadata.Kind.Name();
            events.MapEventType<AssetRegistered<TMetadata>>($"{kind}.registered");
            events.MapEventType<AssetMetadataCorrected<TMetadata>>($"{kind}.metadata_corrected");
            events.MapEventType<AssetMovedToProduction<TMetadata>>($"{kind}.moved_to_production");
            events.MapEventType<AssetDetachedFromProduction<TMetadata>>($"{kind}.detached_from_production");
            events.MapEventType<AssetTrashed<TMetadata>>($"{kind}.trashed");
            events.MapEventType<AssetRestored<TMetadata>>($"{kind}.restored");
            events.MapEventType<AssetPurged<TMetadata>>($"{kind}.purged");
            return true;
        }
    }
}
