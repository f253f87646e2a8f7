using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Marten.Events;

namespace Catalog.Projections;

/// <summary>
/// The stored name of every event type: <c>{stream}.{what_happened}</c>. These names are the contract
/// with the events already in the database: never rename one; add a new type (and an upcaster) instead.
/// </summary>
public static class EventNames
{
    public static void MapCatalogEventTypes(this IEventStoreOptions events)
    {
        events.MapEventType<ProductionCreated>("production.created");
        events.MapEventType<ProductionDetailsChanged>("production.details_changed");
        events.MapEventType<ProductionAudioAttached>("production.audio_attached");
        events.MapEventType<ProductionStoryboardReplaced>("production.storyboard_replaced");
        events.MapEventType<ProductionSettingsReplaced>("production.settings_replaced");
        events.MapEventType<ProductionStatusChanged>("production.status_changed");
        events.MapEventType<ProductionDeleted>("production.deleted");

        events.MapAssetEventTypes<ImageMetadata>();
        events.MapAssetEventTypes<VideoMetadata>();
        events.MapAssetEventTypes<AudioMetadata>();
    }

    private static void MapAssetEventTypes<TMetadata>(this IEventStoreOptions events) where TMetadata : IAssetMetadata
    {
        var kind = TMetadata.Kind.Name();
        events.MapEventType<AssetRegistered<TMetadata>>($"{kind}.registered");
        events.MapEventType<AssetMetadataCorrected<TMetadata>>($"{kind}.metadata_corrected");
        events.MapEventType<AssetMovedToProduction<TMetadata>>($"{kind}.moved_to_production");
        events.MapEventType<AssetDetachedFromProduction<TMetadata>>($"{kind}.detached_from_production");
        events.MapEventType<AssetDeleted<TMetadata>>($"{kind}.deleted");
    }
}
