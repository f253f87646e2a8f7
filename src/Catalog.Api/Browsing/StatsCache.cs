using Catalog.Infrastructure;
using Catalog.Projections.Queries;

namespace Catalog.Api.Browsing;

/// <summary>
/// The stats are fresh by default: their figures are kept by the views' triggers, so a reading is a few rows, and a reading
/// is given again only while it is exact (<see cref="ExactReadCache"/>: no view changed and no event was appended since,
/// and no event it counts as recent activity has left its window — <see cref="CatalogStats.TrueFor"/>).
/// Where <c>Catalog:StatsCacheSeconds</c> is set above 0 they are read at most once per that many seconds and shared —
/// then that is their lag; one reader at a time, the others wait for its result.
/// </summary>
public sealed class StatsCache(CatalogReads reads, CatalogSettings settings, TimeProvider clock, ExactReadCache exact)
{
    private static readonly object Key = new();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (CatalogStats Stats, DateTimeOffset ReadAt)? _last;

    public async Task<CatalogStats> GetAsync(CancellationToken ct)
    {
        if (settings.StatsCacheSeconds <= 0)
        {
            // No lag wanted (the default): an exact reading, given again only while nothing it shows has changed.
            return await exact.GetAsync(Key, ReadAsync, _ => 8 * 1024, ct, trueFor: stats => stats.TrueFor);
        }
        if (Fresh() is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh() is { } again) return again;
            var stats = await ReadAsync(ct);
            _last = (stats, clock.GetUtcNow());
            return stats;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CatalogStats> ReadAsync(CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        return await CatalogStatistics.ReadAsync(connection, ct);
    }

    private CatalogStats? Fresh() =>
        _last is { } last && (clock.GetUtcNow() - last.ReadAt).TotalSeconds < settings.StatsCacheSeconds ? last.Stats : null;
}
