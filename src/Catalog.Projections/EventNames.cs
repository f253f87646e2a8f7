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
    /// <summary>Every event type the catalog stores, with its stored name.</summary>
    public static IReadOnlyList<(Type Type, string Name)> All { get; } =
    [
        (typeof(ProductionCreated), "production.created"),
        (typeof(ProductionImported), "production.imported"),
        (typeof(ProductionDetailsChanged), "production.details_changed"),
        (typeof(ProductionAudioAttached), "production.audio_attached"),
        (typeof(ProductionStoryboardReplaced), "production.storyboard_replaced"),
        (typeof(ProductionSettingsReplaced), "production.settings_replaced"),
        (typeof(ProductionStatusChanged), "production.status_changed"),
        (typeof(ProductionTrashed), "production.trashed"),
        (typeof(ProductionRestored), "production.restored"),
        (typeof(ProductionPurged), "production.purged"),
        .. AssetKinds.All.SelectMany(kind => kind.Accept(new AssetEventNames())),
    ];

    public static void MapCatalogEventTypes(this IEventStoreOptions events)
    {
        foreach (var (type, name) in All) events.MapEventType(type, name);
        events.UpcastDeletedEvents();
    }

    private sealed class AssetEventNames : IAssetKindVisitor<IEnumerable<(Type, string)>>
    {
        public IEnumerable<(Type, string)> Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = TMetadata.Kind.Name();
            yield return (typeof(AssetRegistered<TMetadata>), $"{kind}.registered");
            yield return (typeof(AssetMetadataCorrected<TMetadata>), $"{kind}.metadata_corrected");
            yield return (typeof(AssetMovedToProduction<TMetadata>), $"{kind}.moved_to_production");
            yield return (typeof(AssetDetachedFromProduction<TMetadata>), $"{kind}.detached_from_production");
            yield return (typeof(AssetTrashed<TMetadata>), $"{kind}.trashed");
            yield return (typeof(AssetRestored<TMetadata>), $"{kind}.restored");
            yield return (typeof(AssetPurged<TMetadata>), $"{kind}.purged");
        }
    }
}
