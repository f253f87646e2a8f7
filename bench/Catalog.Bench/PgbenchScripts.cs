using System.Text.RegularExpressions;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;

/// <summary>The API's own statements for each benchmarked request, with their parameters written in as literals.</summary>
internal static partial class PgbenchScripts
{
    public static string For(string request) => request switch
    {
        // GET /api/gallery/images?type=generated&limit=50&offset=0
        "first-page" => Page(Images("generated"), 50, 0),
        // GET /api/gallery/images?limit=50&offset=90000
        "deep-page" => Page(Images(null), 50, 90_000),
        // GET /api/gallery/search?q=Van+Williams&type=images: one statement, the page of hits with their documents
        "search" => Script(new Statement(CatalogSearch.PageSql(SearchTarget.All.Where(t => t.Scope == "images").ToList()), ["Van Williams", 50, 0])),
        // GET /api/gallery/stats, when its cache is cold
        "stats" => string.Concat(CatalogStatistics.Statements().Select(s => OneLine(s) + ";\n")),
        _ => throw new ArgumentException($"unknown request '{request}'"),
    };

    private static ViewSelection Images(string? type) =>
        new(QuerySchema.Tables.Assets(AssetKind.Image), QuerySchema.Columns.Type, type, null);

    private static string Page(ViewSelection selection, int limit, int offset)
    {
        var (page, count) = ListPages.Build(selection, limit, offset);
        return Script(page) + Script(count);
    }

    private static string Script(Statement statement)
    {
        var sql = statement.Sql;
        for (var i = statement.Parameters.Length; i >= 1; i--) // $10 before $1
            sql = sql.Replace($"${i}", Literal(statement.Parameters[i - 1]));
        return OneLine(sql) + ";\n";
    }

    private static string Literal(object value) => value switch
    {
        string s => $"'{s.Replace("'", "''")}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex Newlines();

    /// <summary>pgbench reads one statement per line unless it ends in a semicolon; one line is simplest.</summary>
    private static string OneLine(string sql) => Newlines().Replace(sql.Trim(), " ");
}
