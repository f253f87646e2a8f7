using System.Text;
using Catalog.Projections.Views;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>Which rows of a view: those of one group (asset type / production status) and/or one production; null is any.</summary>
/// <param name="Table">The view's table, schema-qualified.</param>
/// <param name="GroupColumn">The column the groups are in: type for assets, status for productions.</param>
public sealed record ViewSelection(string Table, string GroupColumn, string? Group, string? ProductionId);

/// <summary>A statement and its positional parameters ($1, $2, …).</summary>
public sealed record Statement(string Sql, object[] Parameters);

/// <summary>
/// A page of a view, newest first (created_at, then id, both descending), as the API's finished answer:
/// <c>{"items": [...], "total": n, "limit": l, "offset": o}</c>. The views are stored in the list item's
/// shape (<see cref="CatalogJson"/>), so the items are the stored rows' JSON put side by side — nothing is
/// read into objects and written out again. Measured at 100,000 images, that per-row work cost the API more
/// than PostgreSQL's whole share of a first page (~0.3 ms).
/// <para>The page is found in the (filter, created_at, id) index alone and only its rows are read from the
/// table ("late row lookup"), so a deep page costs an index walk, not the reading of every row skipped.
/// The total comes from <see cref="ViewCounts"/>, exact and kept in step by triggers. Both statements go in
/// one round trip.</para>
/// </summary>
public static class ListPages
{
    public static async Task<string> ReadJsonAsync(CatalogReads reads, ViewSelection selection, int limit, int offset, CancellationToken ct)
    {
        var (page, count) = Build(selection, limit, offset);
        await using var connection = await reads.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Command(page), Command(count) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var json = new StringBuilder(limit * 600).Append("{\"items\":[");
        var first = true;
        while (await reader.ReadAsync(ct))
        {
            if (!first) json.Append(',');
            json.Append(reader.GetString(0));
            first = false;
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return json.Append("],\"total\":").Append(reader.GetInt64(0))
            .Append(",\"limit\":").Append(limit)
            .Append(",\"offset\":").Append(offset).Append('}').ToString();
    }

    /// <summary>The two statements <see cref="ReadJsonAsync"/> runs: the page's rows, and the total.</summary>
    public static (Statement Page, Statement Count) Build(ViewSelection selection, int limit, int offset)
    {
        var filters = new List<(string Column, string Value)>();
        if (selection.Group is { } group) filters.Add((selection.GroupColumn, group));
        if (selection.ProductionId is { } productionId) filters.Add((QuerySchema.Columns.ProductionId, productionId));
        var where = filters.Count == 0 ? "true" : string.Join(" and ", filters.Select((f, i) => $"{f.Column} = ${i + 1}"));
        var (table, created, n) = (selection.Table, QuerySchema.Columns.CreatedAt, filters.Count);

        var page = new Statement($"""
            select d.data
              from {table} d
              join (select id from {table} where {where}
                     order by {created} desc, id desc
                    offset ${n + 1} limit ${n + 2}) p on p.id = d.id
             order by d.{created} desc, d.id desc
            """, [.. filters.Select(f => (object)f.Value), offset, limit]);
        var count = new Statement(ViewCounts.CountSql,
            [table[(table.IndexOf('.') + 1)..], selection.Group ?? "", selection.ProductionId ?? ""]);
        return (page, count);
    }

    private static NpgsqlBatchCommand Command(Statement statement)
    {
        var command = new NpgsqlBatchCommand(statement.Sql);
        foreach (var value in statement.Parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
