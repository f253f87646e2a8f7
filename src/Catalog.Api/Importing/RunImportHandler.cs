using Catalog.Api.Jobs;
using Catalog.Api.Media;
using Catalog.Api.Threads;
using Catalog.Importer;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure;
using Catalog.Projections;
using Marten;
using Wolverine;

namespace Catalog.Api.Importing;

/// <summary>
/// Runs an uploaded assets.db's import in the background (Wolverine, the "imports" local queue, one at a time):
/// the same import as <c>catalog import-db</c>, as the user who uploaded it. Progress is saved once a second; at the
/// end its summary, or why it failed. The uploaded file is removed either way.
/// </summary>
public static class RunImportHandler
{
    public static Task Handle(RunImport message, IDocumentStore store, IBlobStore blobs, CatalogSettings settings,
        TimeProvider clock, IMessageBus bus, WritesInFlight writes, ILogger<RunImport> logger, CancellationToken ct) =>
        SocketThreads.Run(async () =>
        {
            using var importing = writes.Import(); // the thumbnails wait for its end
            await RunAsync(message, store, blobs, settings, clock, bus, logger, ct);
        });

    private static async Task RunAsync(RunImport message, IDocumentStore store, IBlobStore blobs, CatalogSettings settings,
        TimeProvider clock, IMessageBus bus, ILogger<RunImport> logger, CancellationToken ct)
    {
        var job = await BackgroundJobs.LoadAsync<ImportJob>(store, message.ImportId, ct);
        if (job is not { Status: JobStatus.Queued }) return; // already run, or unknown
        job = await BackgroundJobs.SaveAsync(store, job with { Status = JobStatus.Running, StartedAt = clock.GetUtcNow() }, ct);

        try
        {
            var report = await BackgroundJobs.WithProgressAsync(
                progress => AssetsDbImport.RunAsync(store, blobs, settings.MaxUploadBytes, ImportJob.FileOf(settings, job.Id), job.RequestedBy, progress, ct),
                async now => job = await BackgroundJobs.SaveAsync(store, job with { Progress = JobProgress.From(now) }, ct), ct);
            var summary = ImportSummary.From(report);
            await BackgroundJobs.SaveAsync(store, job with
            {
                Status = JobStatus.Completed,
                FinishedAt = clock.GetUtcNow(),
                Progress = job.Progress is { } p ? p with { Rows = p.TotalRows, Bytes = p.TotalBytes, Percent = 100 } : null,
                Summary = summary,
            }, CancellationToken.None);
            logger.LogInformation("Import {Id} completed: {Registered} registered, {Skipped} skipped, ok = {Ok}",
                job.Id, summary.Registered, summary.Skipped, summary.Ok);
            if (summary.Registered > 0) await bus.PublishAsync(new MakeMissingThumbnails());
        }
        catch (Exception e)
        {
            var reason = e switch
            {
                ImportFailedException => e.Message,
                OperationCanceledException => "The service stopped while the import ran; what was imported stays, send the file again for the rest.",
                _ => $"Unexpected error ({e.GetType().Name}): {e.Message}",
            };
            if (e is not ImportFailedException) logger.LogError(e, "Import {Id} failed", job.Id);
            await BackgroundJobs.SaveAsync(store, job with { Status = JobStatus.Failed, FinishedAt = clock.GetUtcNow(), Error = reason }, CancellationToken.None);
        }
        finally
        {
            var directory = ImportJob.DirectoryOf(settings, job.Id);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
