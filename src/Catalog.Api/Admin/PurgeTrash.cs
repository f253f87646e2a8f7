using Catalog.Api.Http;
using Catalog.Api.Jobs;
using Catalog.Application;
using Catalog.Application.Trash;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Marten;

namespace Catalog.Api.Admin;

public static class PurgeTrashEndpoint
{
    /// <summary>
    /// Empties the trash of what was deleted more than <c>Catalog:TrashRetentionDays</c> ago (with <c>all=true</c>:
    /// of everything in it now), then removes the blobs nothing live or restorable references. Also done hourly.
    /// </summary>
    public static Task<PurgeResult> Post(bool? all, IDocumentStore store, IBlobStore blobs, CatalogSettings settings,
        HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return TrashPurge.PurgeAsync(store, blobs, all == true ? now : now.AddDays(-settings.TrashRetentionDays), Callers.Of(http), clock, ct);
    }
}

/// <summary>
/// At start and then every hour: the trash loses what is older than <c>Catalog:TrashRetentionDays</c> (default 30), and
/// the blob store what nothing names — the bytes of purged assets and what refused or interrupted uploads left.
/// </summary>
public sealed class TrashHousekeeping(IDocumentStore store, IBlobStore blobs, CatalogSettings settings, TimeProvider clock,
    ILogger<TrashHousekeeping> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("The trash purge", TimeSpan.FromHours(1), clock, logger, async ct =>
        {
            var now = clock.GetUtcNow();
            var result = await TrashPurge.PurgeAsync(store, blobs, now.AddDays(-settings.TrashRetentionDays), new Caller("housekeeping"), clock, ct);
            if (result.Productions + result.Assets + result.Blobs > 0)
                logger.LogInformation("Purged {Productions} productions, {Assets} assets, {Blobs} blobs ({Bytes:N0} bytes)",
                    result.Productions, result.Assets, result.Blobs, result.BlobBytes);
        }, stoppingToken);
}
