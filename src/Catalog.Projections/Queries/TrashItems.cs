using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Marten;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <param name="Kind">production, image, video or audio.</param>
/// <param name="Name">The asset's filename or the production's title at the time it was deleted.</param>
/// <param name="CascadedFromProductionId">Set when the asset went with its production.</param>
/// <param name="Sha256">The asset's bytes (null for a production).</param>
public sealed record TrashItem(
    string Kind, string Id, string? Name, DateTimeOffset TrashedAt, string? TrashedBy, string? CascadedFromProductionId, string? Sha256)
{
    /// <summary>The deletion's position in the catalog's events.</summary>
    public long Sequence { get; init; }
}

/// <summary>
/// What is in the trash: the streams whose latest event is a deletion (<c>*.trashed</c>, or <c>*.deleted</c> from
/// before the trash). A restore or a purge appends after it, so the stream leaves the trash. Read from the events.
/// </summary>
public static class TrashItems
{
    /// <summary>One page of the trash, newest deletion first, and how many things are in it in all (with the same filters).</summary>
    public static async Task<(List<TrashItem> Items, long Total)> PageAsync(
        NpgsqlConnection connection, string? kind, DateTimeOffset? trashedBefore, int limit, int offset, CancellationToken ct)
    {
        var (items, total) = await ReadAsync(connection, kind, trashedBefore, "desc", limit, offset, afterSequence: null, ct);
        if (items.Count == 0 && offset > 0)
            (_, total) = await ReadAsync(connection, kind, trashedBefore, "desc", 1, 0, afterSequence: null, ct);
        return (items, total);
    }

    /// <summary>
    /// Everything deleted before an instant, oldest deletion first, read in batches (the purge's list: memory stays one batch
    /// however full the trash).
    /// </summary>
    public static async IAsyncEnumerable<TrashItem> DueAsync(NpgsqlConnection connection, DateTimeOffset trashedBefore,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct, int batch = 1000)
    {
        long? after = null;
        while (true)
        {
            var (items, _) = await ReadAsync(connection, kind: null, trashedBefore, "asc", batch, 0, after, ct);
            foreach (var item in items) yield return item;
            if (items.Count < batch) yield break;
            after = items[^1].Sequence;
        }
    }

    private static async Task<(List<TrashItem> Items, long Total)> ReadAsync(NpgsqlConnection connection, string? kind, DateTimeOffset? trashedBefore,
        string order, int limit, int offset, long? afterSequence, CancellationToken ct)
    {
        var schema = CatalogStore.SchemaName;
        await using var command = new NpgsqlCommand($"""
            select s.id, e.timestamp, e.user_name, e.data ->> 'cascaded_from_production_id',
                   coalesce((select d.data ->> 'title' from {QuerySchema.Tables.Events} d
                              where d.stream_id = s.id and d.type in ('production.created', 'production.details_changed', 'production.restored')
                              order by d.version desc limit 1),
                            f.data ->> 'filename'),
                   f.data -> 'content' ->> 'sha256',
                   e.seq_id,
                   count(*) over ()
              from {schema}.mt_streams s
              join {QuerySchema.Tables.Events} e on e.stream_id = s.id and e.version = s.version
              join {QuerySchema.Tables.Events} f on f.stream_id = s.id and f.version = 1
             where (e.type like '%.trashed' or e.type like '%.deleted')
               and ($1::text is null or s.id like $1 || ':%')
               and ($2::timestamptz is null or e.timestamp <= $2)
               and ($5::bigint is null or e.seq_id > $5)
             order by e.seq_id {order}
             limit $3 offset $4
            """, connection)
        {
            Parameters =
            {
                new() { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)trashedBefore ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = limit },
                new() { Value = offset },
                new() { Value = (object?)afterSequence ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<TrashItem>();
        long total = 0;
        while (await reader.ReadAsync(ct))
        {
            var (itemKind, id) = StreamKeys.Split(reader.GetString(0));
            items.Add(new TrashItem(itemKind, id, Text(reader, 4), reader.GetFieldValue<DateTimeOffset>(1), Text(reader, 2), Text(reader, 3), Text(reader, 5))
            {
                Sequence = reader.GetInt64(6),
            });
            total = reader.GetInt64(7);
        }
        return (items, total);
    }

    /// <summary>The assets in the trash because this production was deleted (the cascade), read in the session's transaction.</summary>
    public static async Task<IReadOnlyList<(AssetKind Kind, long AssetId)>> CascadedFromAsync(IQuerySession session, string productionId, CancellationToken ct)
    {
        var streams = await session.QueryAsync<string>($"""
            select s.id
              from {CatalogStore.SchemaName}.mt_streams s
              join {QuerySchema.Tables.Events} e on e.stream_id = s.id and e.version = s.version
             where (e.type like '%.trashed' or e.type like '%.deleted') and e.data ->> 'cascaded_from_production_id' = ?
             order by e.seq_id
            """, ct, productionId);
        return streams.Select(key =>
        {
            var (kind, id) = StreamKeys.Split(key);
            return AssetKinds.TryParse(kind, out var info) ? (info.Kind, long.Parse(id)) : throw new InvalidOperationException($"'{key}' is not an asset stream.");
        }).ToList();
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
