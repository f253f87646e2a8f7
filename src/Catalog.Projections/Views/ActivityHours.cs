namespace Catalog.Projections.Views;

/// <summary>
/// How many events were appended in each hour, kept by a trigger on the event table in the same transaction as each
/// append, so "what happened in the last 24 hours / 7 days" reads at most 169 hours' rows (× a few slots) instead of
/// counting every event of the week — 280 ms a reading at 110,000 events appended within the week. Each connection adds
/// to its own slot of the hour (its backend's number modulo <see cref="Slots"/>), so concurrent appends never wait for
/// one another's row lock. The hour the window starts in is counted exactly from the events' time index; the whole
/// hours after it from this table. Events are never deleted; a truncate (a reset) empties it too.
/// </summary>
public static class ActivityHours
{
    public const string Table = CatalogStore.SchemaName + ".activity_hours";
    private const int Slots = 16;

    /// <summary>Idempotent DDL: the table (filled from the events when it is new), the trigger and its function.</summary>
    public static string Ddl()
    {
        var schema = CatalogStore.SchemaName;
        var events = QuerySchema.Tables.Events;
        var tombstone = CatalogStore.TombstoneStream;
        return SideTables.CreateOnce(Table, $"""
            create table {Table} (
              hour timestamptz not null,
              slot int not null,
              count bigint not null,
              primary key (hour, slot));
            """) + $$"""
            create or replace function {{schema}}.activity_hours_add() returns trigger
            language plpgsql as $fn$
            begin
              insert into {{Table}} as h (hour, slot, count)
              select date_trunc('hour', timestamp), pg_backend_pid() % {{Slots}}, count(*)
                from appended where stream_id <> '{{tombstone}}' group by 1
              on conflict (hour, slot) do update set count = h.count + excluded.count;
              return null;
            end $fn$;
            create or replace function {{schema}}.activity_hours_forget() returns trigger
            language plpgsql as $fn$
            begin
              delete from {{Table}};
              return null;
            end $fn$;
            drop trigger if exists activity_hours on {{events}};
            create trigger activity_hours after insert on {{events}}
              referencing new table as appended for each statement execute function {{schema}}.activity_hours_add();
            drop trigger if exists activity_hours_truncate on {{events}};
            create trigger activity_hours_truncate after truncate on {{events}}
              for each statement execute function {{schema}}.activity_hours_forget();
            insert into {{Table}} (hour, slot, count)
            select date_trunc('hour', timestamp), 0, count(*) from {{events}}
             where stream_id <> '{{tombstone}}' and {{SideTables.IsNew(Table)}} group by 1;

            """;
    }

    /// <summary>
    /// Events in the last 24 hours and the last 7 days (the start hour of each window exactly, the rest by the hour), the
    /// database's now, and for how many seconds after now both counts stay true unless events are appended: until the oldest
    /// event counted in a window leaves it (null: none is counted, so only an append can change them). Each from the events'
    /// time index. The week is 168 hours, not '7 days': calendar days shift with a daylight-saving change in the server's
    /// time zone, and the window's start would step back an hour.
    /// </summary>
    public static string CountsSql()
    {
        var events = QuerySchema.Tables.Events;
        var counted = $"stream_id <> '{CatalogStore.TombstoneStream}'";
        string Window(string interval) => $"""
            (select count(*) from {events}
              where timestamp >= now() - interval '{interval}' and timestamp < date_trunc('hour', now() - interval '{interval}') + interval '1 hour'
                and {counted})
            + (select coalesce(sum(count), 0) from {Table} where hour >= date_trunc('hour', now() - interval '{interval}') + interval '1 hour')
            """;
        string Leaves(string interval) =>
            $"(select min(timestamp) from {events} where timestamp >= now() - interval '{interval}' and {counted}) + interval '{interval}'";
        return $"select ({Window("24 hours")})::bigint, ({Window("168 hours")})::bigint, now(), " +
               $"extract(epoch from least({Leaves("24 hours")}, {Leaves("168 hours")}) - now())::float8";
    }
}
