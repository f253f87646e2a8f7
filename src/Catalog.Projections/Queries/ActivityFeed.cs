using Catalog.Domain;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>One event of the catalog, as an activity line: which stream (kind and id), what happened, when, who.</summary>
/// <param name="Kind">production, image, video or audio.</param>
/// <param name="Event">The stored event name, e.g. <c>image.registered</c>.</param>
public sealed record ActivityEntry(long Sequence, string Kind, string Id, string Event, DateTimeOffset At, string? By);

/// <summary>The catalog's events, newest first, straight from the event table (Marten's tombstones left out).</summary>
public static class ActivityFeed
{
    public static string LatestSql(int limit) => $"""
        select seq_id, stream_id, type, timestamp, user_name
          from {Views.QuerySchema.Tables.Events}
         where stream_id <> '{CatalogStore.TombstoneStream}'
         order by seq_id desc
         limit {limit}
        """;

    public static async Task<List<ActivityEntry>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var entries = new List<ActivityEntry>();
        while (await reader.ReadAsync(ct))
        {
            var (kind, id) = StreamKeys.Split(reader.GetString(1));
            entries.Add(new ActivityEntry(reader.GetInt64(0), kind, id, reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return entries;
    }
}
