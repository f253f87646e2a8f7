using Catalog.Api.Jobs;
using Catalog.Infrastructure;
using Marten;

namespace Catalog.Api.Importing;

/// <summary>
/// The imports' upkeep, at start: imports this node had queued or was running when it stopped are marked failed and
/// their uploaded files removed (other nodes' jobs are theirs). What they imported stays: an import is resumable.
/// </summary>
public sealed class ImportHousekeeping(IDocumentStore store, CatalogSettings settings, TimeProvider clock, ILogger<ImportHousekeeping> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.OnceAsync("Marking interrupted imports", clock, logger, MarkInterruptedAsync, stoppingToken);

    public async Task MarkInterruptedAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var interrupted = await session.Query<ImportJob>()
            .Where(x => (x.Status == JobStatus.Queued || x.Status == JobStatus.Running) && x.Node == BackgroundJobs.ThisNode)
            .ToListAsync(ct);
        foreach (var job in interrupted)
        {
            var directory = ImportJob.DirectoryOf(settings, job.Id);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            session.Store(job with
            {
                Status = JobStatus.Failed, FinishedAt = clock.GetUtcNow(),
                Error = "The service stopped before the import finished; what was imported stays, send the file again for the rest.",
            });
        }
        await session.SaveChangesAsync(ct);
        if (interrupted.Count > 0) logger.LogWarning("{Imports} import(s) interrupted by the last stop were marked failed", interrupted.Count);
    }
}
