using Catalog.Projections.Queries;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

public static class GetStatsEndpoint
{
    /// <summary>
    /// The seed's statistics: counts and bytes per kind and per type, productions per status, storage in
    /// all, and recent activity (events in the last 24 hours and 7 days, the latest 20 with kind, id, what,
    /// when, who). Read at most once per <c>Catalog:StatsCacheSeconds</c> (default 2 s): that is their lag.
    /// </summary>
    [WolverineGet("/api/gallery/stats"), Tags("Gallery"), EndpointSummary("Counts, storage, recent activity")]
    [ProducesResponseType<CatalogStats>(StatusCodes.Status200OK)]
    public static Task<CatalogStats> Get(StatsCache stats, CancellationToken ct) => stats.GetAsync(ct);
}
