using Catalog.Infrastructure;
using Catalog.Projections.Queries;

namespace Catalog.Api.Browsing;

/// <summary>
/// The stats are read fresh by default: their figures are kept by the views' triggers, so a reading is a few rows.
/// Where <c>Catalog:StatsCacheSeconds</c> is set above 0 they are read at most once per that many seconds and shared —
/// then that is their lag; one reader at a time, the others wait for its result.
/// </summary>
public sealed class StatsCache(CatalogReads reads, CatalogSettings settings, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (CatalogStats Stats, DateTimeOffset ReadAt)? _last;

    public async Task<CatalogStats> GetAsync(CancellationToken ct)
    {
        if (settings.StatsCacheSeconds <= 0)
        {
            // No lag wanted (the default): every reader reads; the figures are a few rows the triggers keep.
            await using var connection = await reads.OpenAsync(ct);
            return await CatalogStatistics.ReadAsync(connection, ct);
        }
        if (Fresh() is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh() is { } again) return again;
            await using var connection = await reads.OpenAsync(ct);
            var stats = await CatalogStatistics.ReadAsync(connection, ct);
            _last = (stats, clock.GetUtcNow());
            return stats;
        }
        finally
        {
            _gate.Release();
        }
    }

    private CatalogStats? Fresh() =>
        _last is { } last && (clock.GetUtcNow() - last.ReadAt).TotalSeconds < settings.StatsCacheSeconds ? last.Stats : null;
}
