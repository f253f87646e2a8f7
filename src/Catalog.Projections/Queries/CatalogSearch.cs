using System.Text.RegularExpressions;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>What the search looks in: one kind (an asset kind's name, or <c>production</c>), its view, the text it is found by.</summary>
public sealed record SearchTarget(string Kind, string Scope, string Table, string Text)
{
    /// <summary>Every kind with text to find: the asset kinds with a prompt, and the productions (titles and artists).</summary>
    public static IReadOnlyList<SearchTarget> All { get; } =
    [
        .. AssetKinds.All.Where(k => k.Prompt is not null).Select(k => new SearchTarget(k.Name, k.Table, QuerySchema.Tables.Assets(k.Kind), QuerySchema.PromptText)),
        new("production", "productions", QuerySchema.Tables.Productions, QuerySchema.ProductionText),
    ];
}

/// <param name="Kind">image, video or production.</param>
/// <param name="Id">The asset's integer id or the production's TEXT id, as text.</param>
public sealed record SearchHit(string Kind, string Id, double Rank);

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, long Total);

/// <summary>
/// Full-text search over image and video prompts and production titles and artists, case-insensitive,
/// ranked (<c>ts_rank</c>), newest first among equals. PostgreSQL cuts the text into words exactly as it
/// cut the documents (<c>plainto_tsquery</c>); every word must match, as a prefix ("will" finds
/// "Williams"). The text travels as one bound parameter and is never parsed as query syntax, so quotes,
/// <c>%</c>, <c>_</c>, backslashes and SQL in it are just text.
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

    /// <summary>The hits of a scope: <c>$1</c> is the text. A statement goes on from here to select from <c>hits</c>.</summary>
    public static string HitsSql(IReadOnlyCollection<SearchTarget> targets) =>
        $"with q as (select {Query} as query), hits as ({string.Join("\n union all\n", targets.Select(t => Part(t.Kind, t.Table, t.Text)))})";

    /// <summary>One page of hits with the total: <c>$1</c> text, <c>$2</c> limit, <c>$3</c> offset.</summary>
    public static string PageSql(IReadOnlyCollection<SearchTarget> targets) => $"""
        {HitsSql(targets)}
        select kind, id, rank, count(*) over () as total
          from hits
         order by rank desc, created_at desc, kind, id
         limit $2 offset $3
        """;

    public static async Task<SearchResult> RunAsync(
        NpgsqlConnection connection, string text, IReadOnlyCollection<SearchTarget> targets, int limit, int offset, CancellationToken ct)
    {
        await using var page = new NpgsqlCommand(PageSql(targets), connection);
        page.Parameters.Add(new NpgsqlParameter { Value = text });
        page.Parameters.Add(new NpgsqlParameter { Value = limit });
        page.Parameters.Add(new NpgsqlParameter { Value = offset });

        var results = new List<SearchHit>();
        long total = 0;
        await using (var reader = await page.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                results.Add(new SearchHit(reader.GetString(0), reader.GetString(1), Math.Round(reader.GetFloat(2), 6)));
                total = reader.GetInt64(3);
            }
        }

        if (results.Count == 0 && offset > 0)
        {
            // Past the last page the window count has no row to ride on: count on its own.
            await using var count = new NpgsqlCommand($"{HitsSql(targets)} select count(*) from hits", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = text });
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return new SearchResult(results, total);
    }

    private static string Part(string kind, string table, string text) => $"""
        select '{kind}' as kind, d.id::text as id, ts_rank({QuerySchema.Vector(text)}, q.query) as rank, d.{QuerySchema.Columns.CreatedAt} as created_at
          from {table} d, q
         where {QuerySchema.Vector(text)} @@ q.query
        """;
}
