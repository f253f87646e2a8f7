using Catalog.Projections;
using Npgsql;

namespace Catalog.Testing;

/// <summary>
/// A gate on the catalog's events table: from the moment a condition a test chooses holds, every event insert waits (a
/// trigger takes an advisory lock the gate holds) until the gate opens. A test stops a writer in the middle of its
/// transaction, at a point it names, however fast or slow the machine is — no timing, no hook in the product.
/// </summary>
public sealed class EventsGate : IAsyncDisposable
{
    private const int Key = 14_014;
    private const string Events = $"{CatalogStore.SchemaName}.mt_events";
    private const string Function = $"{CatalogStore.SchemaName}.test_events_gate";

    /// <summary>Every lock and session of the database, and the events' count: what a test waiting on the gate says when it is not reached.</summary>
    private const string WhatPostgresSees = $"""
        select coalesce((select string_agg(format('%s %s/%s %s %s pid %s', locktype, classid, objid, mode, case when granted then 'held' else 'waiting' end, pid), '; ')
                  from pg_locks where locktype <> 'relation'), 'no locks')
          || ' | ' || coalesce((select string_agg(format('pid %s %s %s/%s: %s', pid, state, wait_event_type, wait_event, left(query, 80)), '; ')
                  from pg_stat_activity where datname = current_database()), 'no sessions')
          || ' | events: ' || (select count(*) from {Events})
        """;

    private readonly NpgsqlConnection _connection;
    private bool _open;

    private EventsGate(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Closes the gate for every event insert once <paramref name="when"/> (SQL over the table and the new row, <c>new</c>) holds.</summary>
    public static async Task<EventsGate> CloseAsync(string connectionString, string when)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var gate = new EventsGate(connection);
        await gate.RunAsync($"select pg_advisory_lock({Key})");
        await gate.RunAsync($"""
            create function {Function}() returns trigger language plpgsql as $$
            begin
              if {when} then perform pg_advisory_xact_lock_shared({Key}); end if;
              return new;
            end $$;
            create trigger test_events_gate before insert on {Events} for each row execute function {Function}();
            """);
        return gate;
    }

    /// <summary>Waits until an insert waits at the gate; throws, saying what PostgreSQL sees, when <paramref name="writerEnded"/> ends first (its text said too) or after 2 minutes.</summary>
    public async Task HeldAsync(Task<string> writerEnded)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await RunAsync($"select count(*) from pg_locks where locktype = 'advisory' and objid = {Key}::oid and not granted") == 0)
        {
            if (writerEnded.IsCompleted || DateTime.UtcNow > deadline)
            {
                await using var state = new NpgsqlCommand(WhatPostgresSees, _connection);
                throw new InvalidOperationException($"Nothing was held at the gate ({(writerEnded.IsCompleted ? $"the writer ended: {await writerEnded}" : "2 minutes")}). PostgreSQL: {await state.ExecuteScalarAsync()}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Lets every insert waiting at the gate through, and removes it.</summary>
    public async Task OpenAsync()
    {
        if (_open) return;
        _open = true;
        await RunAsync($"select pg_advisory_unlock({Key})");
        await RunAsync($"drop trigger test_events_gate on {Events}; drop function {Function}()");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await OpenAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task<long> RunAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
