using System.Text;
using System.Text.RegularExpressions;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>What a search looks in: the productions, or one kind of asset (by the name the API's <c>type</c> gives it).</summary>
/// <param name="Kind">production, or an asset kind's name (image, video, audio).</param>
/// <param name="Scope">How <c>type</c> names it: productions, images, videos, audio.</param>
public sealed record SearchTarget(string Kind, string Scope)
{
    public static IReadOnlyList<SearchTarget> All { get; } =
    [
        .. AssetKinds.All.Select(k => new SearchTarget(k.Name, k.Table)),
        new("production", "productions"),
    ];
}

/// <summary>
/// Full-text search, case-insensitive and ranked (<c>ts_rank</c>), newest first among equals: an asset is found by its own
/// words (prompt, clip id, filename) and by its production's title and artist (<see cref="SearchIndex"/>); a production
/// by its title and artist. PostgreSQL cuts the text into words exactly as it cut the documents
/// (<c>plainto_tsquery</c>); every word must match, as a prefix ("will" finds "Williams"). The text travels as one bound
/// parameter and is never parsed as query syntax, so quotes, <c>%</c>, <c>_</c>, backslashes and SQL in it are just text.
/// A hit is the list item itself — the stored view's JSON — with its <c>kind</c> and <c>rank</c>.
/// </summary>
public static partial class CatalogSearch
{
    public const int MaxLength = 500;

    [GeneratedRegex(@"[\p{L}\p{N}]")]
    private static partial Regex WordCharacter();

    /// <summary>Whether the text holds anything to look for (a letter or a digit).</summary>
    public static bool HasWords(string text) => WordCharacter().IsMatch(text);

    /// <summary>
    /// The tsquery: <c>plainto_tsquery</c>'s words ('van' &amp; 'williams') each made a prefix
    /// ('van':* &amp; 'williams':*). The pattern matches one quoted lexeme (a doubled quote inside stays).
    /// </summary>
    private const string Query =
        "to_tsquery('" + QuerySchema.SearchConfig + "', regexp_replace(plainto_tsquery('" + QuerySchema.SearchConfig + "', $1)::text, " +
        """'''((?:[^'']|'''')+)''', '''\1'':*', 'g'))""";

    /// <summary>The hits of the targets, before paging: <c>$1</c> is the text.</summary>
    private static string HitsSql(IReadOnlyCollection<SearchTarget> targets)
    {
        var kinds = AssetKinds.All.Where(k => targets.Any(t => t.Kind == k.Name)).ToList();
        var parts = new List<string>();
        if (kinds.Count > 0)
        {
            var only = kinds.Count < AssetKinds.All.Count ? $" and s.kind in ({string.Join(", ", kinds.Select(k => $"'{k.Name}'"))})" : "";
            parts.Add($"""
                select s.kind, s.id as asset_id, null::text as production_id, ts_rank({SearchIndex.Document}, q.query) as rank, s.created_at
                  from {SearchIndex.Table} s, q
                 where {SearchIndex.Document} @@ q.query{only}
                """);
        }
        if (targets.Any(t => t.Kind == "production"))
        {
            parts.Add($"""
                select 'production'::text as kind, null::bigint as asset_id, d.id as production_id, ts_rank({QuerySchema.Vector(QuerySchema.ProductionText)}, q.query) as rank, d.{QuerySchema.Columns.CreatedAt} as created_at
                  from {QuerySchema.Tables.Productions} d, q
                 where {QuerySchema.Vector(QuerySchema.ProductionText)} @@ q.query
                """);
        }
        return $"with q as (select {Query} as query), hits as ({string.Join("\n union all\n", parts)})";
    }

    /// <summary>
    /// One page of hits with the total: <c>$1</c> the text, <c>$2</c> limit, <c>$3</c> offset. Each row: the hit's JSON (the
    /// view with <c>kind</c> and <c>rank</c>), then the total.
    /// </summary>
    public static string PageSql(IReadOnlyCollection<SearchTarget> targets)
    {
        var kinds = AssetKinds.All.Where(k => targets.Any(t => t.Kind == k.Name)).ToList();
        var joins = string.Concat(kinds.Select(k =>
            $"\n  left join {QuerySchema.Tables.Assets(k.Kind)} {k.Name} on h.kind = '{k.Name}' and {k.Name}.id = h.asset_id"));
        var productions = targets.Any(t => t.Kind == "production");
        if (productions)
            joins += $"\n  left join {QuerySchema.Tables.Productions} p on h.kind = 'production' and p.id = h.production_id";
        var data = string.Join(", ", kinds.Select(k => $"{k.Name}.data").Concat(productions ? ["p.data"] : []));
        return $"""
            {HitsSql(targets)},
            page as (select *, count(*) over () as total from hits order by rank desc, created_at desc, kind, asset_id, production_id limit $2 offset $3)
            select (coalesce({data}) || jsonb_build_object('kind', h.kind, 'rank', round(h.rank::numeric, 6)))::text, h.total
              from page h{joins}
             order by h.rank desc, h.created_at desc, h.kind, h.asset_id, h.production_id
            """;
    }

    /// <summary>The page's items as a JSON array, and the total (counted on its own past the last page).</summary>
    public static async Task<(string ItemsJson, long Total)> RunAsync(
        NpgsqlConnection connection, string text, IReadOnlyCollection<SearchTarget> targets, int limit, int offset, CancellationToken ct)
    {
        await using var page = new NpgsqlCommand(PageSql(targets), connection)
        {
            Parameters = { new() { Value = text }, new() { Value = limit }, new() { Value = offset } },
        };
        var items = new StringBuilder(limit * 700).Append('[');
        long total = 0;
        var count = 0;
        await using (var reader = await page.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (count++ > 0) items.Append(',');
                items.Append(reader.GetString(0));
                total = reader.GetInt64(1);
            }
        }
        if (count == 0 && offset > 0)
        {
            // Past the last page the window count has no row to ride on: count on its own.
            await using var again = new NpgsqlCommand($"{HitsSql(targets)} select count(*) from hits", connection) { Parameters = { new() { Value = text } } };
            total = (long)(await again.ExecuteScalarAsync(ct))!;
        }
        return (items.Append(']').ToString(), total);
    }
}
