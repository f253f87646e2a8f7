namespace Catalog.Projections.Views;

/// <summary>
/// The tables the catalog keeps beside Marten's views with triggers (<see cref="ViewCounts"/>, <see cref="SearchIndex"/>):
/// how their idempotent DDL starts, and how it knows to fill a table it has just made from the rows already there.
/// </summary>
internal static class SideTables
{
    /// <summary>
    /// An advisory lock for the transaction (two nodes starting together do not race), then <paramref name="create"/>
    /// when <paramref name="table"/> is missing — and if it was, a flag for the rest of the transaction (<see cref="IsNew"/>).
    /// </summary>
    public static string CreateOnce(string table, string create) => $$"""
        select pg_advisory_xact_lock(hashtext('{{table}}'));

        do $init$
        begin
          if to_regclass('{{table}}') is null then
            {{create}}
            perform set_config('{{Flag(table)}}', 'yes', true);
          end if;
        end $init$;

        """;

    /// <summary>A SQL condition: <paramref name="table"/> was created by this transaction (fill it now).</summary>
    public static string IsNew(string table) => $"current_setting('{Flag(table)}', true) = 'yes'";

    private static string Flag(string table) => $"catalog.{table[(table.IndexOf('.') + 1)..]}_new";
}
