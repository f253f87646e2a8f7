using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Projections;

/// <summary>
/// Many new asset streams — each its <c>*.registered</c> event and its view's row — written in a few statements inside a
/// session's transaction (a group commit's registrations), where Marten's append and inline projection write each row with
/// statements of its own. The rows are the ones Marten writes for a registration (the stream; the event with its type
/// names, timestamp, user, correlation and headers; the view from the same fold, <see cref="AssetViewProjection{TMetadata}.Registered"/>,
/// with its duplicated columns — a test compares the two paths row by row), so what reads them (history, time travel, the
/// views, a rebuild, later commands through Marten) cannot tell them apart. The views' triggers (totals, search words,
/// version) run once per statement, over every row of it.
/// </summary>
public sealed class NewAssetStreams
{
    private readonly List<Row> _rows = [];

    /// <summary>A new stream: the asset's registration, its first event.</summary>
    public void Add<TMetadata>(AssetRegistered<TMetadata> registered) where TMetadata : IAssetMetadata
    {
        var view = AssetViewProjection<TMetadata>.Registered(registered, version: 1);
        _rows.Add(new Row(TMetadata.Kind, Asset<TMetadata>.StreamKey(registered.AssetId), Names<TMetadata>.Stream,
            Names<TMetadata>.Event, Names<TMetadata>.EventType, Names<TMetadata>.View, CatalogStore.Serializer.ToJson(registered),
            CatalogStore.Serializer.ToJson(view), view.Id, view.Type, view.CreatedAt.ToUniversalTime(), view.ProductionId, view.FileSize));
    }

    /// <summary>
    /// Queues the writes in <paramref name="session"/> (run by its <c>SaveChangesAsync</c>, in its transaction, in this
    /// order): the streams, the events (sequence numbers drawn in the order the streams were added, stamped with the
    /// session's user, correlation, causation and <paramref name="headers"/>, and <paramref name="timestamp"/>), then each
    /// kind's view rows, kind by kind. A filename or an id taken meanwhile fails the commit with a unique violation, as Marten's would.
    /// </summary>
    public void Queue(IDocumentSession session, DateTimeOffset timestamp, IReadOnlyDictionary<string, string> headers)
    {
        if (_rows.Count == 0) return;
        session.QueueSqlCommand(Placeholder,
            $"insert into {QuerySchema.Tables.Streams} (id, type, version) select s.id, s.type, 1 from unnest(^::varchar[], ^::varchar[]) as s(id, type)",
            _rows.Select(r => r.StreamKey).ToArray(), _rows.Select(r => r.StreamType).ToArray());
        session.QueueSqlCommand(Placeholder, $"""
            insert into {QuerySchema.Tables.Events} (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type,
                                                     correlation_id, causation_id, headers, user_name)
            select nextval('{QuerySchema.Tables.EventSequence}'), e.id, e.stream_id, 1, e.data::jsonb, e.type, ^, e.dotnet_type,
                   ^::varchar, ^::varchar, ^::jsonb, ^::varchar
              from unnest(^::uuid[], ^::varchar[], ^::text[], ^::varchar[], ^::varchar[]) with ordinality as e(id, stream_id, data, type, dotnet_type, n)
             order by e.n
            """,
            timestamp.ToUniversalTime(), Nullable(session.CorrelationId), Nullable(session.CausationId),
            headers.Count == 0 ? DBNull.Value : CatalogStore.Serializer.ToJson(headers), Nullable(session.LastModifiedBy),
            _rows.Select(_ => Guid.CreateVersion7()).ToArray(), _rows.Select(r => r.StreamKey).ToArray(),
            _rows.Select(r => r.EventJson).ToArray(), _rows.Select(r => r.EventName).ToArray(), _rows.Select(r => r.EventType).ToArray());
        // Kind by kind in one order: the totals' rows each statement's trigger updates are locked in the same order by every
        // group committing at once (no deadlock between two imports' batches of mixed kinds).
        foreach (var kind in _rows.GroupBy(r => r.Kind).OrderBy(g => g.Key))
        {
            var rows = kind.ToList();
            session.QueueSqlCommand(Placeholder, $"""
                insert into {QuerySchema.Tables.Assets(kind.Key)} (id, data, mt_dotnet_type, mt_version, {QuerySchema.Columns.Type},
                                                               {QuerySchema.Columns.CreatedAt}, {QuerySchema.Columns.ProductionId}, {QuerySchema.Columns.FileSize})
                select v.id, v.data::jsonb, ^, 1, v.type, v.created_at, v.production_id, v.file_size
                  from unnest(^::bigint[], ^::text[], ^::varchar[], ^::timestamptz[], ^::varchar[], ^::bigint[])
                       as v(id, data, type, created_at, production_id, file_size)
                """,
                rows[0].ViewType, rows.Select(r => r.Id).ToArray(), rows.Select(r => r.ViewJson).ToArray(), rows.Select(r => r.Type).ToArray(),
                rows.Select(r => r.CreatedAt).ToArray(), rows.Select(r => r.ProductionId).ToArray(), rows.Select(r => r.FileSize).ToArray());
        }
    }

    /// <summary>The statements' parameter marker: <c>?</c> is a JSON operator in PostgreSQL.</summary>
    private const char Placeholder = '^';

    private static object Nullable(string? value) => value is null ? DBNull.Value : value;

    /// <summary>The names Marten stores with a kind's stream and its registration event.</summary>
    private static class Names<TMetadata> where TMetadata : IAssetMetadata
    {
        /// <summary>The stream's aggregate type, as Marten writes it in <c>mt_streams.type</c>.</summary>
        public static readonly string Stream = $"{nameof(Asset<TMetadata>)}<{typeof(TMetadata).Name}>";

        /// <summary>The event's stored name (<see cref="EventNames"/>).</summary>
        public static readonly string Event = EventNames.All.Single(e => e.Type == typeof(AssetRegistered<TMetadata>)).Name;

        /// <summary>The event's .NET type, as Marten writes it in <c>mt_events.mt_dotnet_type</c>.</summary>
        public static readonly string EventType =
            $"{typeof(AssetRegistered<TMetadata>).FullName}, {typeof(AssetRegistered<TMetadata>).Assembly.GetName().Name}";

        /// <summary>The view's .NET type, as Marten writes it in the view's <c>mt_dotnet_type</c>.</summary>
        public static readonly string View = typeof(AssetView<TMetadata>).FullName!;
    }

    private sealed record Row(AssetKind Kind, string StreamKey, string StreamType, string EventName, string EventType, string ViewType,
        string EventJson, string ViewJson, long Id, string Type, DateTimeOffset CreatedAt, string? ProductionId, long FileSize);
}
