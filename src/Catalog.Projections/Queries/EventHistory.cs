using Catalog.Domain;
using Catalog.Domain.Productions;
using System.Text.Json;
using Catalog.Projections.Views;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>One stored event, as an auditor reads it: metadata only (events never hold media bytes).</summary>
/// <param name="Sequence">The event's position in the whole catalog.</param>
/// <param name="Version">Its position in its stream (1 = the stream's first event).</param>
/// <param name="Kind">production, image, video or audio.</param>
/// <param name="Type">The stored event name, e.g. <c>image.registered</c>.</param>
/// <param name="By">Who: the API key's name (or the X-Actor a key allowed to act for others named), or the CLI's OS user.</param>
/// <param name="Via">The key that acted for <paramref name="By"/>, when it named someone else.</param>
/// <param name="Reason">Why, when the command said (X-Reason).</param>
/// <param name="Data">The event's facts as stored.</param>
public sealed record HistoryEntry(
    long Sequence, long Version, string Stream, string Kind, string Id, string Type, DateTimeOffset Timestamp,
    string? By, string? CorrelationId, string? CausationId, string? Reason, JsonElement Data, string? Via = null);

/// <summary>
/// The catalog's history, straight from the event table: one stream (or a production with the streams of
/// every asset that was ever in it) oldest first, or the whole catalog newest first. Marten's tombstones
/// (left by refused commands) are never part of it.
/// </summary>
public static class EventHistory
{
    private const string Columns =
        $"seq_id, version, stream_id, type, timestamp, user_name, correlation_id, causation_id, headers ->> '{CatalogStore.ReasonHeader}', data, headers ->> '{CatalogStore.ViaHeader}'";

    /// <summary>The streams of every asset that was ever in the production (registered, moved into or out of it).</summary>
    public const string AssetStreamsOfProductionSql = $"""
        select distinct stream_id from {QuerySchema.Tables.Events}
         where stream_id <> '{CatalogStore.TombstoneStream}'
           and ((data ->> 'production_id') = $1 or (data ->> 'previous_production_id') = $1)
        """;

    /// <summary>Events of the given streams, oldest first (by their catalog sequence), one page and the total.</summary>
    public static async Task<(List<HistoryEntry> Items, long Total)> OfStreamsAsync(
        CatalogReads reads, IReadOnlyList<string> streams, int limit, int offset, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"select {Columns} from {QuerySchema.Tables.Events} where stream_id = any($1) order by seq_id limit $2 offset $3")
                {
                    Parameters = { new() { Value = streams.ToArray() }, new() { Value = limit }, new() { Value = offset } },
                },
                new NpgsqlBatchCommand($"select count(*) from {QuerySchema.Tables.Events} where stream_id = any($1)")
                {
                    Parameters = { new() { Value = streams.ToArray() } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var items = await ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (items, reader.GetInt64(0));
    }

    /// <summary>The production's own stream, then (when asked) the streams of every asset that was ever in it.</summary>
    public static async Task<List<string>> StreamsOfProductionAsync(CatalogReads reads, string productionId, bool withAssets, CancellationToken ct)
    {
        var streams = new List<string> { Production.StreamKey(productionId) };
        if (!withAssets) return streams;
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand(AssetStreamsOfProductionSql, connection) { Parameters = { new() { Value = productionId } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) streams.Add(reader.GetString(0));
        return streams;
    }

    /// <summary>
    /// The whole catalog's latest events, newest first: those at or after <paramref name="since"/>, of one kind
    /// (the stream prefix) if given, before sequence <paramref name="before"/> when paging back.
    /// </summary>
    public static async Task<List<HistoryEntry>> FeedAsync(
        CatalogReads reads, DateTimeOffset? since, string? kind, long? before, int limit, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select {Columns} from {QuerySchema.Tables.Events}
             where stream_id <> '{CatalogStore.TombstoneStream}'
               and ($1::timestamptz is null or timestamp >= $1)
               and ($2::text is null or stream_id like $2 || ':%')
               and ($3::bigint is null or seq_id < $3)
             order by seq_id desc
             limit $4
            """, connection)
        {
            Parameters =
            {
                new() { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                new() { Value = limit },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await ReadAsync(reader, ct);
    }

    private static async Task<List<HistoryEntry>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var entries = new List<HistoryEntry>();
        while (await reader.ReadAsync(ct))
        {
            var stream = reader.GetString(2);
            var (kind, id) = StreamKeys.Split(stream);
            using var data = JsonDocument.Parse(reader.GetString(9));
            entries.Add(new HistoryEntry(
                reader.GetInt64(0), reader.GetInt64(1), stream, kind, id, reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8),
                data.RootElement.Clone(), Text(reader, 10)));
        }
        return entries;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
