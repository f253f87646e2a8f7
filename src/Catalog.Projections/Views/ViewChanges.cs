using System.Diagnostics;
using Marten;
using Marten.Services;

namespace Catalog.Projections.Views;

/// <summary>
/// A number that grows with every committed change to the views, so a reader can tell that nothing changed since it last
/// read without reading again (the API's exact read cache). Every transaction that writes a view table — a row inserted,
/// updated or deleted, the table truncated — adds one to its connection's slot (the backend's number modulo
/// <see cref="Slots"/>, so concurrent writers never wait on one another's row lock), once per transaction. The version is
/// the sum of the slots with the table's identity: it moves only when such a transaction commits, and a recreated table
/// never repeats an old version. The search index and the totals are kept by the views' triggers in the same transactions,
/// so the version covers them too; and the event table bumps it the same way, so it covers the recent activity (the stats'
/// latest events and counts) as well.
/// </summary>
public static class ViewChanges
{
    public const string Table = CatalogStore.SchemaName + ".view_changes";
    private const int Slots = 64;

    /// <summary>The version: the table's identity and the sum of its slots.</summary>
    public const string VersionSql = $"select '{Table}'::regclass::oid::bigint, sum(changes)::bigint from {Table}";

    /// <summary>
    /// How long every writer waits after its commit before it acknowledges the change (<see cref="SettleAsync()"/>), and so
    /// how old a reading of the version a reader may still use: a reading that began at most this long before a request
    /// arrived began after the commit of every change acknowledged before the request (commit, wait, acknowledge,
    /// request: the reading's start is after the commit). Readers under load share readings taken every half of it instead
    /// of asking PostgreSQL once per round of requests. Durations only, each process on its own monotonic clock: no two
    /// clocks need to agree on the time. A constant, so every node and the CLI of one build agree on it.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(5);

    /// <summary>A writer's wait after a commit that has just returned (see <see cref="SettleAsync(long)"/>).</summary>
    public static Task SettleAsync() => SettleAsync(Stopwatch.GetTimestamp());

    /// <summary>A writer's wait after committing (<paramref name="committedAt"/>: a <see cref="Stopwatch"/> timestamp taken
    /// once the commit returned) until <see cref="Settle"/> has passed; only then may it acknowledge its change. Not
    /// cancellable: the change is committed, and the wait is part of acknowledging it.</summary>
    public static async Task SettleAsync(long committedAt)
    {
        while (Settle - Stopwatch.GetElapsedTime(committedAt) is var left && left > TimeSpan.Zero)
            await Task.Delay(left + TimeSpan.FromMilliseconds(1), CancellationToken.None); // a timer may fire a little early
    }

    /// <summary>
    /// The wait of <see cref="SettleAsync(long)"/> after every commit of a session of the catalog's store — the API's commands, the
    /// CLI's imports, the jobs' records (once a second at most) — before <c>SaveChangesAsync</c> returns.
    /// </summary>
    public sealed class SettleAfterCommit : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) =>
            SettleAsync();
    }

    /// <summary>Idempotent DDL: the table and its slots, the function, a statement trigger on each view table.</summary>
    public static string Ddl()
    {
        var schema = CatalogStore.SchemaName;
        var ddl = new System.Text.StringBuilder(SideTables.CreateOnce(Table, $"""
            create table {Table} (slot int primary key, changes bigint not null);
            """));
        ddl.Append($$"""
            insert into {{Table}} (slot, changes) select s, 0 from generate_series(0, {{Slots - 1}}) s on conflict (slot) do nothing;
            create or replace function {{schema}}.view_changes_bump() returns trigger
            language plpgsql as $fn$
            begin
              -- once per transaction (the setting is the transaction's own and goes with it)
              if current_setting('catalog.view_changed', true) is distinct from 'yes' then
                perform set_config('catalog.view_changed', 'yes', true);
                update {{Table}} set changes = changes + 1 where slot = pg_backend_pid() % {{Slots}};
              end if;
              return null;
            end $fn$;

            """);
        // The views, and the events: an append is in the recent activity of the stats, which are kept by the same cache.
        foreach (var table in ViewCounts.Views.Select(v => v.Table).Append(QuerySchema.Tables.Events))
        {
            var name = table[(schema.Length + 1)..];
            ddl.Append($"""
                drop trigger if exists {name}_changes on {table};
                create trigger {name}_changes after insert or update or delete on {table}
                  for each statement execute function {schema}.view_changes_bump();
                drop trigger if exists {name}_changes_truncate on {table};
                create trigger {name}_changes_truncate after truncate on {table}
                  for each statement execute function {schema}.view_changes_bump();

                """);
        }
        return ddl.ToString();
    }
}
