using System.Diagnostics;
using Catalog.Infrastructure;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;

namespace Catalog.Api.Browsing;

/// <summary>
/// The lists', the search's and the stats' answers and the media endpoints' lookups, kept in memory and given again while
/// the views have not changed (and no event was appended: the event table bumps the same version). Each request is answered at a reading of the views' version (<see cref="ViewChanges"/>: a sum over one
/// page of PostgreSQL, microseconds) that began at most <see cref="ViewChanges.Settle"/> before it arrived, and from memory
/// only when the answer kept was read at that very version. Every writer — this node, another node, the CLI — waits that
/// long after its commit before it acknowledges a change, so such a reading began after the commit of every change
/// acknowledged before the request: the cache is exact, never a stale window. Under load one reading serves every request
/// of a few milliseconds (a new one starts once the last is half that old), so requests do not wait for PostgreSQL; an idle
/// node's first request waits for a reading of its own. Its size is bounded by <c>Catalog:ReadCacheMb</c> (default 32; 0
/// turns it off); when full it is emptied.
/// </summary>
public sealed class ExactReadCache(CatalogReads reads, CatalogSettings settings) : IDisposable
{
    private readonly Dictionary<object, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>The reading of the version that requests arriving now wait for (null: none waits yet).</summary>
    private TaskCompletionSource<(long Table, long Changes)>? _nextVersion;

    /// <summary>The reading under way.</summary>
    private Reading? _inFlight;

    /// <summary>The latest reading that ended.</summary>
    private Reading? _latest;

    private static readonly long Settle = (long)(ViewChanges.Settle.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Whether the reader (<see cref="ReadVersions"/>) is reading or about to.</summary>
    private bool _readingVersion;

    private Thread? _reader;
    private readonly AutoResetEvent _wanted = new(false);
    private volatile bool _disposed;

    /// <summary>
    /// The answer for <paramref name="key"/> (a value-equal record), read by <paramref name="read"/> unless the one kept is
    /// current. Requests that find the same answer missing at the same version wait for one reading instead of each
    /// reading it (after a write, a burst of clients would otherwise all ask PostgreSQL the same question at once).
    /// </summary>
    /// <param name="size">About how many bytes of memory an answer holds.</param>
    /// <param name="trueFor">For an answer that changes with time as well (the stats' recent activity): how long after its
    /// reading began it stays true while the version stays; null (the default, or returned): for as long as the version stays.</param>
    public async Task<T> GetAsync<T>(object key, Func<CancellationToken, Task<T>> read, Func<T, long> size, CancellationToken ct,
        Func<T, TimeSpan?>? trueFor = null)
    {
        if (settings.ReadCacheBytes <= 0) return await read(ct);
        var arrived = Stopwatch.GetTimestamp();
        var version = await VersionAsync(arrived, ct);
        Entry entry;
        object? answer;
        do
        {
            entry = Find(key, version, arrived, read, trueFor);
            try
            {
                answer = (await entry.Answer.WaitAsync(ct)).Value;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                lock (_lock) // not kept: the next request reads again
                {
                    if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(key);
                }
                throw;
            }
            // A reading that began before this request and is true only until a moment before it arrived (its time ran out
            // while it was being read): read again, after the arrival.
        } while (arrived > entry.TrueUntil);
        if (entry.Bytes == 0) Account(key, entry, size((T)answer!) + 256);
        return (T)answer!;
    }

    /// <summary>The entry kept for the key if it is at this version and still true at <paramref name="arrived"/>, else a new reading's.</summary>
    private Entry Find<T>(object key, (long Table, long Changes) version, long arrived, Func<CancellationToken, Task<T>> read, Func<T, TimeSpan?>? trueFor)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Version != version || arrived > entry.TrueUntil)
            {
                // Read after the version: the answer is at least that new, so it is current for as long as the version stays.
                // Not this request's cancellation: others may be waiting for the same reading.
                entry = new Entry(version, ReadAsync(read, trueFor));
                if (_entries.TryGetValue(key, out var replaced)) _bytes -= replaced.Bytes;
                _entries[key] = entry;
            }
            return entry;
        }
    }

    private static async Task<Answered> ReadAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, TimeSpan?>? trueFor)
    {
        var began = Stopwatch.GetTimestamp(); // before the reading's snapshot, so the answer is true at least this long after it
        var answer = await read(CancellationToken.None);
        return new Answered(answer, trueFor?.Invoke(answer) is { } span ? began + (long)(span.TotalSeconds * Stopwatch.Frequency) : long.MaxValue);
    }

    /// <summary>An answer, and the <see cref="Stopwatch"/> timestamp after which it may no longer be true though the version stays.</summary>
    private readonly record struct Answered(object? Value, long TrueUntil);

    /// <summary>Counts a new answer's bytes once: one too large is not kept, and a full cache is emptied first.</summary>
    private void Account(object key, Entry entry, long bytes)
    {
        lock (_lock)
        {
            if (entry.Bytes != 0 || !_entries.TryGetValue(key, out var current) || !ReferenceEquals(current, entry)) return;
            if (bytes > settings.ReadCacheBytes / 8)
            {
                _entries.Remove(key);
                return;
            }
            if (_bytes + bytes > settings.ReadCacheBytes)
            {
                _entries.Clear();
                _bytes = 0;
                _entries[key] = entry;
            }
            entry.Bytes = bytes;
            _bytes += bytes;
        }
    }

    /// <summary>
    /// The views' version, read at most <see cref="ViewChanges.Settle"/> before this call: every change acknowledged before it
    /// is in the version given. The latest reading serves while it is that young, and once it is half that old the next is
    /// started for the calls after this one. A call that finds none young enough waits for the reading in flight if that one
    /// began young enough, else for the next, which begins after it arrived and which every such call shares.
    /// </summary>
    private Task<(long Table, long Changes)> VersionAsync(long arrived, CancellationToken ct)
    {
        Task<(long Table, long Changes)> next;
        lock (_lock)
        {
            if (_latest is { } latest && latest.ServesAt(arrived))
            {
                if (arrived - latest.Began > Settle / 2) ReadNext();
                return latest.Version;
            }
            next = _inFlight is { } inFlight && inFlight.ServesAt(arrived) ? inFlight.Version : ReadNext();
        }
        return next.WaitAsync(ct);
    }

    /// <summary>The reading that calls arriving now wait for, started unless one is in flight (under the lock).</summary>
    private Task<(long Table, long Changes)> ReadNext()
    {
        _nextVersion ??= new TaskCompletionSource<(long Table, long Changes)>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_readingVersion)
        {
            _readingVersion = true;
            if (_reader is null)
            {
                _reader = new Thread(ReadVersions) { IsBackground = true, Name = "views version" };
                _reader.Start();
            }
            _wanted.Set();
        }
        return _nextVersion.Task;
    }

    /// <summary>
    /// The readings, on a thread of their own with a connection and a prepared statement of their own: under load the
    /// thread pool's queue is full of requests, and a reading queued behind them would be too old by the time it was read.
    /// Reads for the calls waiting until none is, then sleeps until one is.
    /// </summary>
    private void ReadVersions()
    {
        using var version = new VersionStatement(reads);
        using var wanted = _wanted;
        while (!_disposed)
        {
            TaskCompletionSource<(long Table, long Changes)>? waiting;
            lock (_lock)
            {
                waiting = _nextVersion;
                _nextVersion = null;
                _readingVersion = waiting is not null;
                // Timed before the statement: its snapshot is younger than this.
                _inFlight = waiting is null ? null : new Reading(waiting.Task, Stopwatch.GetTimestamp());
            }
            if (waiting is null)
            {
                wanted.WaitOne();
                continue;
            }
            try
            {
                waiting.SetResult(version.Read());
                lock (_lock) _latest = _inFlight;
            }
            catch (Exception e)
            {
                waiting.SetException(e);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        if (_reader is null) _wanted.Dispose();
        else _wanted.Set();
    }

    /// <summary>A reading of the version and the <see cref="Stopwatch"/> timestamp taken before it began.</summary>
    private sealed record Reading(Task<(long Table, long Changes)> Version, long Began)
    {
        /// <summary>Whether it began at most <see cref="ViewChanges.Settle"/> before a call that arrived then.</summary>
        public bool ServesAt(long arrived) => arrived - Began <= Settle;
    }

    /// <summary>The version's statement, prepared on a connection of its own, opened again when it broke.</summary>
    private sealed class VersionStatement(CatalogReads reads) : IDisposable
    {
        private Npgsql.NpgsqlConnection? _connection;
        private Npgsql.NpgsqlCommand? _command;

        public (long Table, long Changes) Read()
        {
            try
            {
                return ReadOnce();
            }
            catch (Exception) when (_connection is not null)
            {
                Dispose(); // a connection broken since the last reading (the server restarted): one more try on a new one
                return ReadOnce();
            }
        }

        private (long, long) ReadOnce()
        {
            if (_command is null)
            {
                _connection = reads.Open();
                _command = new Npgsql.NpgsqlCommand(ViewChanges.VersionSql, _connection);
                _command.Prepare();
            }
            using var reader = _command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }

        public void Dispose()
        {
            _command?.Dispose();
            _connection?.Dispose();
            (_command, _connection) = (null, null);
        }
    }

    private sealed class Entry((long Table, long Changes) version, Task<Answered> answer)
    {
        public (long Table, long Changes) Version { get; } = version;
        public Task<Answered> Answer { get; } = answer;

        /// <summary>Its answer's <see cref="Answered.TrueUntil"/>; none yet while it is being read.</summary>
        public long TrueUntil => Answer.IsCompletedSuccessfully ? Answer.Result.TrueUntil : long.MaxValue;

        /// <summary>Its answer's bytes, once counted (0 until then).</summary>
        public long Bytes { get; set; }
    }
}
