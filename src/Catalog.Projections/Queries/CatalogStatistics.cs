using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Npgsql;

namespace Catalog.Projections.Queries;

public sealed record TypeTotals(long Count, long Bytes);

/// <param name="Bytes">The sum of the live assets' file sizes (identical files stored once in the blob store count each time).</param>
public sealed record KindTotals(long Count, long Bytes, [property: JsonConverter(typeof(VerbatimKeys<TypeTotals>))] IReadOnlyDictionary<string, TypeTotals> ByType);

public sealed record ProductionTotals(long Count, [property: JsonConverter(typeof(VerbatimKeys<long>))] IReadOnlyDictionary<string, long> ByStatus);

/// <summary>
/// A dictionary keyed by data — types and statuses, as open as the seed's columns ("lyric video", "in review") — written
/// with its keys as they are: the JSON naming policy is for field names, and would turn "in review" into "in_review".
/// </summary>
public sealed class VerbatimKeys<TValue> : JsonConverter<IReadOnlyDictionary<string, TValue>>
{
    public override IReadOnlyDictionary<string, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object.");
        var values = new Dictionary<string, TValue>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            values[key] = JsonSerializer.Deserialize<TValue>(ref reader, options)!;
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> values, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in values)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value, options);
        }
        writer.WriteEndObject();
    }
}

public sealed record ActivitySummary(
    [property: JsonPropertyName("last_24_hours")] long Last24Hours,
    [property: JsonPropertyName("last_7_days")] long Last7Days,
    IReadOnlyList<ActivityEntry> Latest);

/// <param name="StorageBytes">All live assets' bytes together.</param>
/// <param name="ComputedAt">When these figures were read from the database (given again from memory while they stay exact, they keep their reading's time).</param>
public sealed record CatalogStats(ProductionTotals Productions, long StorageBytes, ActivitySummary RecentActivity, DateTimeOffset ComputedAt)
{
    /// <summary>Each kind's totals under its table's name (<c>images</c>, <c>videos</c>, <c>audio</c>), beside the other fields.</summary>
    [JsonExtensionData]
    public IDictionary<string, object> Kinds { get; init; } = new Dictionary<string, object>();

    public KindTotals Of(AssetKind kind) => (KindTotals)Kinds[kind.Table()];

    /// <summary>
    /// How long after their reading these figures stay true while nothing is written: until the oldest event counted in
    /// the recent activity leaves its window (null: none is counted). Not part of the answer.
    /// </summary>
    [JsonIgnore]
    public TimeSpan? TrueFor { get; init; }
}

/// <summary>
/// The catalog in figures, in one round trip: counts and bytes per kind and type, and productions per status, from the
/// totals the views' triggers keep in each change's transaction (<see cref="ViewCounts"/>: a few rows, whatever the
/// catalog's size); how much happened lately from the events per hour (<see cref="ActivityHours"/>), the latest events from
/// the event table's newest rows.
/// Every known type and status is listed, with zeros where there is nothing.
/// </summary>
public static class CatalogStatistics
{
    public const int LatestActivity = 20;

    /// <summary>The statements, in the order <see cref="ReadAsync"/> reads their results.</summary>
    public static IReadOnlyList<string> Statements() =>
    [
        .. AssetKinds.All.Select(kind => ViewCounts.GroupsSql(Unqualified(QuerySchema.Tables.Assets(kind.Kind)))),
        ViewCounts.GroupsSql(Unqualified(QuerySchema.Tables.Productions)),
        ActivityHours.CountsSql(),
        ActivityFeed.LatestSql(LatestActivity),
    ];

    private static string Unqualified(string table) => table[(table.IndexOf('.') + 1)..];

    public static async Task<CatalogStats> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in Statements()) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var kinds = new Dictionary<string, object>();
        foreach (var kind in AssetKinds.All)
        {
            kinds[kind.Table] = await KindAsync(reader, kind.WellKnownTypes, ct);
            await reader.NextResultAsync(ct);
        }

        var byStatus = ProductionStatus.All.ToDictionary(s => s, _ => 0L);
        while (await reader.ReadAsync(ct)) byStatus[reader.GetString(0)] = reader.GetInt64(1);
        await reader.NextResultAsync(ct);

        await reader.ReadAsync(ct);
        var (day, week, now) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
        TimeSpan? trueFor = reader.IsDBNull(3) ? null : TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(3)));
        await reader.NextResultAsync(ct);
        var latest = await ActivityFeed.ReadAsync(reader, ct);

        return new CatalogStats(
            new ProductionTotals(byStatus.Values.Sum(), byStatus),
            kinds.Values.Cast<KindTotals>().Sum(k => k.Bytes),
            new ActivitySummary(day, week, latest),
            now) { Kinds = kinds, TrueFor = trueFor };
    }

    private static async Task<KindTotals> KindAsync(NpgsqlDataReader reader, IReadOnlyList<string> types, CancellationToken ct)
    {
        var byType = types.ToDictionary(t => t, _ => new TypeTotals(0, 0));
        while (await reader.ReadAsync(ct)) byType[reader.GetString(0)] = new TypeTotals(reader.GetInt64(1), reader.GetInt64(2));
        return new KindTotals(byType.Values.Sum(t => t.Count), byType.Values.Sum(t => t.Bytes), byType);
    }
}
