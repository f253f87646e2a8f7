using System.Collections.Concurrent;
using Catalog.Infrastructure;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;

namespace Catalog.Api.Browsing;

/// <summary>
/// The lists' and the search's answers, kept in memory and given again while the views have not changed. Each request first
/// reads the views' version (<see cref="ViewChanges"/>: a sum over one page of PostgreSQL, microseconds) and is answered
/// from memory only when that answer was read at this very version. Any committed write to the views — through this node,
/// another node or the CLI — moves the version, so the next read after it reads the views again: the cache is exact, never
/// a stale window. Its size is bounded by <c>Catalog:ReadCacheMb</c> (default 32; 0 turns it off); when full it is emptied.
/// </summary>
public sealed class ExactReadCache(CatalogReads reads, CatalogSettings settings)
{
    private readonly ConcurrentDictionary<object, Entry> _entries = new();
    private readonly Lock _adding = new();
    private long _bytes;

    /// <summary>The answer for <paramref name="key"/> (a value-equal record), read by <paramref name="read"/> unless the one kept is current.</summary>
    /// <param name="size">About how many bytes of memory an answer holds.</param>
    public async Task<T> GetAsync<T>(object key, Func<CancellationToken, Task<T>> read, Func<T, long> size, CancellationToken ct)
    {
        if (settings.ReadCacheBytes <= 0) return await read(ct);
        var version = await VersionAsync(ct);
        if (_entries.TryGetValue(key, out var kept) && kept.Version == version) return (T)kept.Value!;

        // Read after the version: the answer is at least that new, so it is current for as long as the version stays.
        var answer = await read(ct);
        var bytes = size(answer) + 256;
        if (bytes > settings.ReadCacheBytes / 8) return answer; // too large to be worth keeping
        lock (_adding)
        {
            if (_bytes + bytes > settings.ReadCacheBytes)
            {
                _entries.Clear();
                _bytes = 0;
            }
            if (_entries.TryGetValue(key, out var replaced)) _bytes -= replaced.Bytes;
            _entries[key] = new Entry(version, answer, bytes);
            _bytes += bytes;
        }
        return answer;
    }

    private async Task<(long Table, long Changes)> VersionAsync(CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = ViewChanges.VersionSql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private sealed record Entry((long Table, long Changes) Version, object? Value, long Bytes);
}
