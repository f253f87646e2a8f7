namespace Catalog.Projections.Views;

/// <summary>
/// Exact row counts of the views, and the bytes of the assets they count, kept by triggers in the same transaction as
/// every change: a list's total is one index lookup instead of counting tens of thousands of rows (which was 85% of a
/// first page's cost at 100,000 images), and the stats read counts and bytes per kind and type, and productions per
/// status, from a few rows whatever the catalog's size. One row per (view, group, production): group is the asset
/// type or the production status, '' meaning any; production '' meaning any. Rows appear as they are first needed.
/// (Earlier builds kept counts only, in <c>view_counts</c>: it is dropped and this table filled in its place.)
/// </summary>
public static class ViewCounts
{
    public const string Table = CatalogStore.SchemaName + ".view_totals";
    private const string Previous = CatalogStore.SchemaName + ".view_counts";

    /// <summary>The view tables, the column each is grouped by, and whether its rows are assets (a production, a size).</summary>
    public static readonly IReadOnlyList<(string Table, string Group, bool IsAsset)> Views =
    [
        .. Domain.Assets.AssetKinds.All.Select(kind => (QuerySchema.Tables.Assets(kind.Kind), QuerySchema.Columns.Type, true)),
        (QuerySchema.Tables.Productions, QuerySchema.Columns.Status, false),
    ];

    /// <summary>A view's groups (types or statuses) with rows, and their counts and bytes; <paramref name="view"/> is the view table's unqualified name.</summary>
    public static string GroupsSql(string view) =>
        $"select grp, count, bytes from {Table} where view_name = '{view}' and production_id = '' and grp <> '' and count > 0";

    /// <summary>The count for a filter: <c>$1</c> view table name (unqualified), <c>$2</c> group or '', <c>$3</c> production id or ''.</summary>
    public const string CountSql =
        $"select coalesce((select count from {Table} where view_name = $1 and grp = $2 and production_id = $3), 0)";

    /// <summary>
    /// Idempotent DDL, to run in one transaction: the table, the functions, the triggers; when the table is
    /// new, the counts of the rows already there. An advisory lock keeps two starting nodes from racing.
    /// </summary>
    public static string Ddl()
    {
        var schema = CatalogStore.SchemaName;
        var ddl = new System.Text.StringBuilder(SideTables.CreateOnce(Table, $"""
            create table {Table} (
              view_name text not null,
              grp text not null,
              production_id text not null,
              count bigint not null,
              bytes bigint not null,
              primary key (view_name, grp, production_id));
            """));
        ddl.Append($$"""
            -- The stats read each view's groups over the whole catalog (production ''): found here, not among every production's rows.
            create index if not exists ix_view_totals_groups on {{Table}} (view_name, grp) where production_id = '';
            drop table if exists {{Previous}};
            drop function if exists {{schema}}.view_counts_bump(text, text, text, bigint) cascade;
            drop function if exists {{schema}}.view_counts_forget() cascade;

            -- Earlier builds' row triggers bumped the totals one row at a time through this function.
            drop function if exists {{schema}}.view_totals_bump(text, text, text, bigint, bigint);

            create or replace function {{schema}}.view_totals_forget() returns trigger
            language plpgsql as $fn$
            begin
              delete from {{Table}} where view_name = TG_TABLE_NAME;
              return null;
            end $fn$;

            """);

        foreach (var (table, group, isAsset) in Views)
        {
            var name = table[(schema.Length + 1)..];
            var production = isAsset ? QuerySchema.Columns.ProductionId : "null::varchar";
            var size = isAsset ? QuerySchema.Columns.FileSize : "null::bigint";
            string Rows(string rows, int sign) => $"select {sign} as d, {group} as g, {production} as p, {size} as size from {rows}";
            // Each (group, production) the statement's rows add to or take from, once, in one order (two writers lock the
            // totals' rows in the same order); an update that changed none of them nets to nothing and writes nothing.
            string Bump(string rows) => $"""
                insert into {Table} as c (view_name, grp, production_id, count, bytes)
                    select TG_TABLE_NAME, k.g, k.p, sum(r.d), sum(r.d * coalesce(r.size, 0))
                      from ({rows}) as r
                      cross join lateral (values ('', ''), (r.g, ''), ('', r.p), (r.g, r.p)) as k(g, p)
                     where k.p is not null
                     group by k.g, k.p
                    having sum(r.d) <> 0 or sum(r.d * coalesce(r.size, 0)) <> 0
                     order by k.g, k.p
                    on conflict (view_name, grp, production_id) do update set count = c.count + excluded.count, bytes = c.bytes + excluded.bytes;
                """;
            var seed = isAsset
                ? $"""
                  select '{name}', coalesce({group}, ''), coalesce({QuerySchema.Columns.ProductionId}, ''), count(*), coalesce(sum({QuerySchema.Columns.FileSize}), 0)
                    from {table}
                   group by grouping sets ((), ({group}), ({QuerySchema.Columns.ProductionId}), ({group}, {QuerySchema.Columns.ProductionId}))
                  having (grouping({QuerySchema.Columns.ProductionId}) = 1 or {QuerySchema.Columns.ProductionId} is not null)
                  """
                : $"select '{name}', coalesce({group}, ''), '', count(*), 0 from {table} group by grouping sets ((), ({group}))";
            ddl.Append($$"""
                create or replace function {{schema}}.{{name}}_counts() returns trigger
                language plpgsql as $fn$
                begin
                  if TG_OP = 'INSERT' then
                    {{Bump(Rows("new_rows", 1))}}
                  elsif TG_OP = 'DELETE' then
                    {{Bump(Rows("old_rows", -1))}}
                  else
                    {{Bump($"{Rows("old_rows", -1)} union all {Rows("new_rows", 1)}")}}
                  end if;
                  return null;
                end $fn$;
                {{SideTables.StatementTriggers($"{name}_counts", table, $"{schema}.{name}_counts()")}}
                drop trigger if exists {{name}}_counts_truncate on {{table}};
                create trigger {{name}}_counts_truncate after truncate on {{table}}
                  for each statement execute function {{schema}}.view_totals_forget();
                insert into {{Table}} (view_name, grp, production_id, count, bytes)
                {{seed}}
                  {{(isAsset ? "and" : "having")}} {{SideTables.IsNew(Table)}};

                """);
        }
        return ddl.ToString();
    }
}
