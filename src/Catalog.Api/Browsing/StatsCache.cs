using Catalog.Infrastructure;
using Catalog.Projections.Queries;

namespace Catalog.Api.Browsing;

/// <summary>
/// The stats are aggregates over the whole catalog; under load they are read at most once per
/// <c>Catalog:StatsCacheSeconds</c> (default 2 s) and shared — that is their documented lag. One reader
/// at a time; the others wait for its result.
/// </summary>
public sealed class StatsCache(CatalogReads reads, CatalogSettings settings, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (CatalogStats Stats, DateTimeOffset ReadAt)? _last;

    public async Task<CatalogStats> GetAsync(CancellationToken ct)
    {
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
