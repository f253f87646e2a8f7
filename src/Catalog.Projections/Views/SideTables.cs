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

    /// <summary>
    /// Statement triggers that call <paramref name="function"/> once per statement that inserts, updates or deletes rows of
    /// <paramref name="table"/>, with the statement's rows as transition tables: <c>new_rows</c> (insert, update) and
    /// <c>old_rows</c> (update, delete). A bulk write of many rows then costs the side table one statement, not one per row.
    /// Drops the row trigger of the same <paramref name="name"/> that earlier builds made.
    /// </summary>
    public static string StatementTriggers(string name, string table, string function) => $"""
        drop trigger if exists {name} on {table};
        drop trigger if exists {name}_insert on {table};
        create trigger {name}_insert after insert on {table} referencing new table as new_rows
          for each statement execute function {function};
        drop trigger if exists {name}_update on {table};
        create trigger {name}_update after update on {table} referencing old table as old_rows new table as new_rows
          for each statement execute function {function};
        drop trigger if exists {name}_delete on {table};
        create trigger {name}_delete after delete on {table} referencing old table as old_rows
          for each statement execute function {function};

        """;
}
