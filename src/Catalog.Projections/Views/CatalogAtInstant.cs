using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using JasperFx.Events;
using Marten;

namespace Catalog.Projections.Views;

/// <summary>
/// The views as they stood at a past instant, rebuilt from the events up to it (by their stored
/// timestamps), with the very <c>Create</c>/<c>Apply</c> methods of the inline projections — so a past state
/// is computed exactly as the live views were. Deleted things are absent, as they were then.
/// Holds the metadata of the whole catalog in memory (never bytes).
/// </summary>
public sealed class CatalogAtInstant
{
    public DateTimeOffset Instant { get; }
    public Dictionary<string, ProductionView> Productions { get; } = new();
    public Dictionary<long, AssetView<ImageMetadata>> Images { get; } = new();
    public Dictionary<long, AssetView<VideoMetadata>> Videos { get; } = new();
    public Dictionary<long, AssetView<AudioMetadata>> Audio { get; } = new();

    /// <summary>The highest id each kind had handed out by then, deleted assets included (the AUTOINCREMENT high-water mark).</summary>
    public Dictionary<AssetKind, long> HighestIssuedIds { get; } = new();

    private CatalogAtInstant(DateTimeOffset instant) => Instant = instant;

    /// <summary>The assets of one kind.</summary>
    public IReadOnlyDictionary<long, AssetView<TMetadata>> Assets<TMetadata>() where TMetadata : IAssetMetadata => TMetadata.Kind switch
    {
        AssetKind.Image => (IReadOnlyDictionary<long, AssetView<TMetadata>>)(object)Images,
        AssetKind.Video => (IReadOnlyDictionary<long, AssetView<TMetadata>>)(object)Videos,
        _ => (IReadOnlyDictionary<long, AssetView<TMetadata>>)(object)Audio,
    };

    public static Task<CatalogAtInstant> BuildAsync(IQuerySession session, DateTimeOffset instant, CancellationToken ct) =>
        BuildAsync(session, instant, streams: null, ct);

    /// <summary>Only the given streams, folded up to the instant (a production and its assets, one asset).</summary>
    public static async Task<CatalogAtInstant> BuildAsync(
        IQuerySession session, DateTimeOffset instant, IReadOnlyCollection<string>? streams, CancellationToken ct)
    {
        var catalog = new CatalogAtInstant(instant);
        var query = session.Events.QueryAllRawEvents().Where(e => e.Timestamp <= instant);
        if (streams is not null)
        {
            var keys = streams.ToArray();
            query = query.Where(e => keys.Contains(e.StreamKey));
        }
        await foreach (var e in query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct)) catalog.Apply(e);
        return catalog;
    }

    /// <summary>One stream as it was after its event number <paramref name="version"/>.</summary>
    public static async Task<CatalogAtInstant> AtVersionAsync(IQuerySession session, string stream, long version, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(stream, version, token: ct);
        var catalog = new CatalogAtInstant(events.Count > 0 ? events[^1].Timestamp : DateTimeOffset.MinValue);
        foreach (var e in events) catalog.Apply(e);
        return catalog;
    }

    public void Apply(IEvent e)
    {
        switch (e)
        {
            case IEvent<ProductionCreated> created:
                Productions[created.Data.ProductionId] = ProductionViewProjection.Create(created);
                break;
            case IEvent<ProductionImported> imported:
                Productions[imported.Data.ProductionId] = ProductionViewProjection.Create(imported);
                break;
            case IEvent<ProductionTrashed> deleted:
                Productions.Remove(deleted.Data.ProductionId);
                break;
            case IEvent<ProductionRestored> restored:
                Productions[restored.Data.ProductionId] = ProductionViewProjection.Create(restored);
                break;
            case { Data: IProductionEvent change } when Productions.TryGetValue(change.ProductionId, out var view):
                Productions[change.ProductionId] = e switch
                {
                    IEvent<ProductionDetailsChanged> x => ProductionViewProjection.Apply(x, view),
                    IEvent<ProductionAudioAttached> x => ProductionViewProjection.Apply(x, view),
                    IEvent<ProductionStoryboardReplaced> x => ProductionViewProjection.Apply(x, view),
                    IEvent<ProductionSettingsReplaced> x => ProductionViewProjection.Apply(x, view),
                    IEvent<ProductionStatusChanged> x => ProductionViewProjection.Apply(x, view),
                    _ => view,
                };
                break;
            default:
                if (!Fold(Images, HighestIssuedIds, e) && !Fold(Videos, HighestIssuedIds, e)) Fold(Audio, HighestIssuedIds, e);
                break;
        }
    }

    /// <summary>Applies an asset event of this kind, if it is one; false when the event is of another kind.</summary>
    private static bool Fold<TMetadata>(Dictionary<long, AssetView<TMetadata>> views, Dictionary<AssetKind, long> highest, IEvent e)
        where TMetadata : IAssetMetadata
    {
        if (e.Data is not IAssetEvent<TMetadata> assetEvent) return false;
        var id = assetEvent.AssetId;
        switch (e)
        {
            case IEvent<AssetRegistered<TMetadata>> registered:
                views[id] = AssetViewProjection<TMetadata>.Create(registered);
                highest[TMetadata.Kind] = Math.Max(highest.GetValueOrDefault(TMetadata.Kind), id);
                break;
            case IEvent<AssetTrashed<TMetadata>>:
                views.Remove(id);
                break;
            case IEvent<AssetRestored<TMetadata>> restored:
                views[id] = AssetViewProjection<TMetadata>.Create(restored);
                break;
            default:
                if (views.TryGetValue(id, out var view))
                {
                    views[id] = e switch
                    {
                        IEvent<AssetMetadataCorrected<TMetadata>> x => AssetViewProjection<TMetadata>.Apply(x, view),
                        IEvent<AssetMovedToProduction<TMetadata>> x => AssetViewProjection<TMetadata>.Apply(x, view),
                        IEvent<AssetDetachedFromProduction<TMetadata>> x => AssetViewProjection<TMetadata>.Apply(x, view),
                        _ => view,
                    };
                }
                break;
        }
        return true;
    }
}
