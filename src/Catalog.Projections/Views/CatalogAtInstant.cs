using Catalog.Domain;
using Catalog.Domain.Productions;
using Catalog.Domain.Assets;
using JasperFx.Events;
using Marten;

namespace Catalog.Projections.Views;

/// <summary>
/// The views as they stood at a past instant (or after a given event of one stream), rebuilt from the events up to it
/// with the very folds the inline projections run (<see cref="ProductionViewProjection.Fold"/>,
/// <see cref="AssetViewProjection{TMetadata}.Fold"/>) — so a past state is computed exactly as the live views were.
/// Deleted things are absent, as they were then. Holds the metadata of the streams asked for in memory (never bytes).
/// </summary>
public sealed class CatalogAtInstant
{
    private readonly Dictionary<string, IKindViews> _assets;

    private CatalogAtInstant(DateTimeOffset instant)
    {
        Instant = instant;
        _assets = AssetKinds.All.ToDictionary(k => k.Name, k => k.Accept(new NewKindViews()));
    }

    public DateTimeOffset Instant { get; }
    public Dictionary<string, ProductionView> Productions { get; } = new();

    /// <summary>The highest id each kind had handed out by then, deleted assets included (the AUTOINCREMENT high-water mark).</summary>
    public Dictionary<AssetKind, long> HighestIssuedIds { get; } = new();

    /// <summary>The live assets of one kind then, by id.</summary>
    public IReadOnlyDictionary<long, AssetView<TMetadata>> Assets<TMetadata>() where TMetadata : IAssetMetadata =>
        ((KindViews<TMetadata>)_assets[TMetadata.Kind.Name()]).Views;

    /// <summary>The whole catalog at the instant.</summary>
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

    /// <summary>
    /// The live productions as they were at the instant, one at a time: each stream's events folded in turn, so memory
    /// holds one production, not the catalog (an export of the past).
    /// </summary>
    public static IAsyncEnumerable<ProductionView> ProductionsAt(IQuerySession session, DateTimeOffset instant, CancellationToken ct) =>
        StreamByStream(session, instant, Production.StreamPrefix + ":", (ProductionView? view, IEvent e) => ProductionViewProjection.Fold(view, e), ct);

    /// <summary>The live assets of one kind as they were at the instant, one at a time (see <see cref="ProductionsAt"/>).</summary>
    public static IAsyncEnumerable<AssetView<TMetadata>> AssetsAt<TMetadata>(IQuerySession session, DateTimeOffset instant, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        StreamByStream(session, instant, TMetadata.Kind.Name() + ":", (AssetView<TMetadata>? view, IEvent e) => AssetViewProjection<TMetadata>.Fold(view, e), ct);

    /// <summary>The highest id the kind had handed out by the instant, deleted assets included (the AUTOINCREMENT high-water mark).</summary>
    public static async Task<long> HighestIssuedIdAt(IQuerySession session, AssetKind kind, DateTimeOffset instant, CancellationToken ct)
    {
        var highest = await session.QueryAsync<long>(
            $"select coalesce(max(split_part(stream_id, ':', 2)::bigint), 0) from {QuerySchema.Tables.Events} where type = ? and timestamp <= ?",
            ct, $"{kind.Name()}.registered", instant);
        return highest.Single();
    }

    private static async IAsyncEnumerable<T> StreamByStream<T>(IQuerySession session, DateTimeOffset instant, string prefix,
        Func<T?, IEvent, T?> fold, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct) where T : class
    {
        var events = session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= instant && e.StreamKey!.StartsWith(prefix))
            .OrderBy(e => e.StreamKey).ThenBy(e => e.Version)
            .ToAsyncEnumerable(ct);
        string? stream = null;
        T? view = null;
        await foreach (var e in events)
        {
            if (e.StreamKey != stream)
            {
                if (view is not null) yield return view;
                (stream, view) = (e.StreamKey, null);
            }
            view = fold(view, e);
        }
        if (view is not null) yield return view;
    }

    /// <summary>One more event, routed by its stream: a production's to the production fold, an asset's to its kind's.</summary>
    public void Apply(IEvent e)
    {
        var (prefix, id) = StreamKeys.Split(e.StreamKey ?? "");
        if (prefix == Production.StreamPrefix)
        {
            if (ProductionViewProjection.Fold(Productions.GetValueOrDefault(id), e) is { } view) Productions[id] = view;
            else Productions.Remove(id);
        }
        else if (_assets.TryGetValue(prefix, out var kind)) // anything else is not a catalog stream (Marten's tombstones)
        {
            var assetId = long.Parse(id);
            kind.Apply(assetId, e);
            if (e.Version == 1) HighestIssuedIds[kind.Kind] = Math.Max(HighestIssuedIds.GetValueOrDefault(kind.Kind), assetId);
        }
    }

    private interface IKindViews
    {
        AssetKind Kind { get; }
        void Apply(long id, IEvent e);
    }

    private sealed class KindViews<TMetadata> : IKindViews where TMetadata : IAssetMetadata
    {
        public AssetKind Kind => TMetadata.Kind;
        public Dictionary<long, AssetView<TMetadata>> Views { get; } = new();

        public void Apply(long id, IEvent e)
        {
            if (AssetViewProjection<TMetadata>.Fold(Views.GetValueOrDefault(id), e) is { } view) Views[id] = view;
            else Views.Remove(id);
        }
    }

    private sealed class NewKindViews : IAssetKindVisitor<IKindViews>
    {
        public IKindViews Visit<TMetadata>() where TMetadata : IAssetMetadata => new KindViews<TMetadata>();
    }
}
