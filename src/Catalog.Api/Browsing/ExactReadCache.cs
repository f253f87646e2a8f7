using Catalog.Infrastructure;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;

namespace Catalog.Api.Browsing;

/// <summary>
/// The lists' and the search's answers and the media endpoints' lookups, kept in memory and given again while the views
/// have not changed. Each request first has the views' version read (<see cref="ViewChanges"/>: a sum over one page of
/// PostgreSQL, microseconds; one reading shared by the requests that arrive while another is in flight) and is answered
/// from memory only when that answer was read at this very version. Any committed write to the views — through this node,
/// another node or the CLI — moves the version, so the next read after it reads the views again: the cache is exact, never
/// a stale window. Its size is bounded by <c>Catalog:ReadCacheMb</c> (default 32; 0 turns it off); when full it is emptied.
/// </summary>
public sealed class ExactReadCache(CatalogReads reads, CatalogSettings settings)
{
    private readonly Dictionary<object, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>The reading of the version that requests arriving now wait for (null: none waits yet).</summary>
    private TaskCompletionSource<(long Table, long Changes)>? _nextVersion;

    /// <summary>Whether a reader loop (<see cref="ReadVersionsAsync"/>) is running.</summary>
    private bool _readingVersion;

    /// <summary>
    /// The answer for <paramref name="key"/> (a value-equal record), read by <paramref name="read"/> unless the one kept is
    /// current. Requests that find the same answer missing at the same version wait for one reading instead of each
    /// reading it (after a write, a burst of clients would otherwise all ask PostgreSQL the same question at once).
    /// </summary>
    /// <param name="size">About how many bytes of memory an answer holds.</param>
    public async Task<T> GetAsync<T>(object key, Func<CancellationToken, Task<T>> read, Func<T, long> size, CancellationToken ct)
    {
        if (settings.ReadCacheBytes <= 0) return await read(ct);
        var version = await VersionAsync(ct);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry!) || entry.Version != version)
            {
                // Read after the version: the answer is at least that new, so it is current for as long as the version stays.
                // Not this request's cancellation: others may be waiting for the same reading.
                entry = new Entry(version, ReadAsync(read));
                if (_entries.TryGetValue(key, out var replaced)) _bytes -= replaced.Bytes;
                _entries[key] = entry;
            }
        }
        object? answer;
        try
        {
            answer = await entry.Answer.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            lock (_lock) // not kept: the next request reads again
            {
                if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(key);
            }
            throw;
        }
        if (entry.Bytes == 0) Account(key, entry, size((T)answer!) + 256);
        return (T)answer!;
    }

    private static async Task<object?> ReadAsync<T>(Func<CancellationToken, Task<T>> read) => await read(CancellationToken.None);

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
    /// The views' version, read after this call began: a write committed before it is in the version given. Calls share
    /// readings — one is in flight at a time, and every call made while it is waits for the next one, which starts as soon
    /// as it ends — so under load PostgreSQL is asked once per round of requests, not once per request, and no request is
    /// given a version read before it arrived.
    /// </summary>
    private Task<(long Table, long Changes)> VersionAsync(CancellationToken ct)
    {
        Task<(long Table, long Changes)> next;
        lock (_lock)
        {
            _nextVersion ??= new TaskCompletionSource<(long Table, long Changes)>(TaskCreationOptions.RunContinuationsAsynchronously);
            next = _nextVersion.Task;
            if (!_readingVersion)
            {
                _readingVersion = true;
                _ = Task.Run(ReadVersionsAsync);
            }
        }
        return next.WaitAsync(ct);
    }

    /// <summary>Reads the version for the calls waiting, until none is.</summary>
    private async Task ReadVersionsAsync()
    {
        while (true)
        {
            TaskCompletionSource<(long Table, long Changes)>? waiting;
            lock (_lock)
            {
                waiting = _nextVersion;
                _nextVersion = null;
                if (waiting is null)
                {
                    _readingVersion = false;
                    return;
                }
            }
            try
            {
                await using var connection = await reads.OpenAsync(CancellationToken.None);
                await using var command = connection.CreateCommand();
                command.CommandText = ViewChanges.VersionSql;
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                await reader.ReadAsync(CancellationToken.None);
                waiting.SetResult((reader.GetInt64(0), reader.GetInt64(1)));
            }
            catch (Exception e)
            {
                waiting.SetException(e);
            }
        }
    }

    private sealed class Entry((long Table, long Changes) version, Task<object?> answer)
    {
        public (long Table, long Changes) Version { get; } = version;
        public Task<object?> Answer { get; } = answer;

        /// <summary>Its answer's bytes, once counted (0 until then).</summary>
        public long Bytes { get; set; }
    }
}
