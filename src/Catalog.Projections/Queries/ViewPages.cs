using Catalog.Projections.Views;
using Marten;
using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>Which rows of a view: those of one group (asset type / production status) and/or one production; null is any.</summary>
/// <param name="Table">The view's table, schema-qualified.</param>
/// <param name="GroupColumn">The column the groups are in: type for assets, status for productions.</param>
public sealed record ViewSelection(string Table, string GroupColumn, string? Group, string? ProductionId);

/// <summary>
/// One page of a view, newest first (created_at, then id, both descending), with the total, in one round
/// trip. The page is found in the (filter, created_at, id) index alone and only its rows are read from the
/// table ("late row lookup"), so a deep page costs an index walk, not the reading of every row skipped.
/// The total comes from <see cref="ViewCounts"/>, exact and kept in step by triggers.
/// </summary>
public static class ViewPages
{
    public static async Task<(List<TView> Items, long Total)> ReadAsync<TView>(
        IQuerySession session, ViewSelection selection, int limit, int offset, CancellationToken ct)
    {
        var filters = new List<(string Column, string Value)>();
        if (selection.Group is { } group) filters.Add((selection.GroupColumn, group));
        if (selection.ProductionId is { } productionId) filters.Add((QuerySchema.Columns.ProductionId, productionId));
        var where = filters.Count == 0 ? "true" : string.Join(" and ", filters.Select((f, i) => $"{f.Column} = ${i + 1}"));
        var created = QuerySchema.Columns.CreatedAt;
        var table = selection.Table;

        var page = new NpgsqlBatchCommand($"""
            select d.data
              from {table} d
              join (select id from {table} where {where}
                     order by {created} desc, id desc
                    offset ${filters.Count + 1} limit ${filters.Count + 2}) p on p.id = d.id
             order by d.{created} desc, d.id desc
            """);
        foreach (var filter in filters) page.Parameters.Add(new NpgsqlParameter { Value = filter.Value });
        page.Parameters.Add(new NpgsqlParameter { Value = offset });
        page.Parameters.Add(new NpgsqlParameter { Value = limit });

        var count = new NpgsqlBatchCommand(ViewCounts.CountSql)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = table[(table.IndexOf('.') + 1)..] },
                new NpgsqlParameter { Value = selection.Group ?? "" },
                new NpgsqlParameter { Value = selection.ProductionId ?? "" },
            },
        };

        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { page, count } };
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var serializer = session.DocumentStore.Options.Serializer();
        var items = new List<TView>(limit);
        while (await reader.ReadAsync(ct)) items.Add(serializer.FromJson<TView>(reader, 0));
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (items, reader.GetInt64(0));
    }
}
