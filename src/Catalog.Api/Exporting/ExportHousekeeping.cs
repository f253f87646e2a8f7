using Catalog.Api.Jobs;
using Catalog.Infrastructure;
using Marten;

namespace Catalog.Api.Exporting;

/// <summary>
/// The exports' upkeep: at start, exports this node had queued or was running when it stopped are marked failed (their
/// files removed; other nodes' jobs are theirs); then, every 10 minutes, finished exports past
/// <c>Catalog:ExportRetentionHours</c> (default 24) lose their files and become "expired". The records stay.
/// </summary>
public sealed class ExportHousekeeping(IDocumentStore store, CatalogSettings settings, TimeProvider clock, ILogger<ExportHousekeeping> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Periodic.OnceAsync("Marking interrupted exports", clock, logger, MarkInterruptedAsync, stoppingToken);
        await Periodic.RunAsync("Removing expired exports", Every, clock, logger, RemoveExpiredAsync, stoppingToken);
    }

    public async Task MarkInterruptedAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var interrupted = await session.Query<ExportJob>()
            .Where(x => (x.Status == JobStatus.Queued || x.Status == JobStatus.Running) && x.Node == BackgroundJobs.ThisNode)
            .ToListAsync(ct);
        foreach (var job in interrupted)
        {
            Delete(job);
            session.Store(job with { Status = JobStatus.Failed, FinishedAt = clock.GetUtcNow(), Error = "The service stopped before the export finished." });
        }
        await session.SaveChangesAsync(ct);
        if (interrupted.Count > 0) logger.LogWarning("{Exports} export(s) interrupted by the last stop were marked failed", interrupted.Count);
    }

    public async Task RemoveExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var expired = await session.Query<ExportJob>()
            .Where(x => x.Status == JobStatus.Completed && x.ExpiresAt < now)
            .ToListAsync(ct);
        foreach (var job in expired)
        {
            Delete(job);
            session.Store(job with { Status = JobStatus.Expired });
        }
        await session.SaveChangesAsync(ct);
    }

    private void Delete(ExportJob job)
    {
        var directory = ExportFiles.DirectoryOf(settings, job.Id);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
