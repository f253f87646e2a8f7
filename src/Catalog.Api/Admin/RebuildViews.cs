using System.Diagnostics;
using Catalog.Projections;
using Marten;

namespace Catalog.Api.Admin;

public sealed record RebuildResult(IReadOnlyList<string> Projections, double Seconds);

public static class RebuildViewsEndpoint
{
    /// <summary>
    /// Rebuilds every view from the events (Marten's projection daemon). A maintenance operation: while it runs,
    /// lists are incomplete. The same as <c>catalog rebuild</c> on the command line.
    /// </summary>
    public static async Task<RebuildResult> Post(IDocumentStore store, ILogger<RebuildResult> logger, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await store.RebuildViewsAsync(ct);
        logger.LogInformation("Rebuilt the views in {Seconds:N1} s", watch.Elapsed.TotalSeconds);
        return new RebuildResult(CatalogStore.ViewProjections, Math.Round(watch.Elapsed.TotalSeconds, 2));
    }
}
