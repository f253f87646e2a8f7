using System.Formats.Tar;
using System.Security.Cryptography;
using Catalog.Api.Jobs;
using Catalog.Api.Threads;
using Catalog.Exporter;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure;
using Catalog.Projections;
using Marten;

namespace Catalog.Api.Exporting;

/// <summary>
/// Runs an export in the background (Wolverine, the "exports" local queue, two at a time): the same writer as
/// the CLI, into {data}/exports/{id}/. Progress is saved once a second; at the end the file's size and
/// SHA-256, or why it failed. Binaries larger than <c>Catalog:ExportMaxInlineMb</c> are written beside the database (SQLite
/// would assemble each such row in memory); an export with files beside it — those, or a hybrid one — is packed into one tar.
/// </summary>
public static class RunExportHandler
{
    public static Task Handle(RunExport message, IDocumentStore store, IBlobStore blobs, CatalogSettings settings,
        TimeProvider clock, ILogger<RunExport> logger, CancellationToken ct) =>
        SocketThreads.Run(() => RunAsync(message, store, blobs, settings, clock, logger, ct));

    private static async Task RunAsync(RunExport message, IDocumentStore store, IBlobStore blobs, CatalogSettings settings,
        TimeProvider clock, ILogger<RunExport> logger, CancellationToken ct)
    {
        var job = await BackgroundJobs.LoadAsync<ExportJob>(store, message.ExportId, ct);
        if (job is not { Status: JobStatus.Queued }) return; // already run, or unknown
        job = await BackgroundJobs.SaveAsync(store, job with { Status = JobStatus.Running, StartedAt = clock.GetUtcNow() }, ct);

        var directory = ExportFiles.DirectoryOf(settings, job.Id);
        try
        {
            Directory.CreateDirectory(directory);
            var hybrid = job.Mode == "hybrid";
            var folder = Path.Combine(directory, "files");
            var database = Path.Combine(folder, "assets.db");

            await using var source = await ExportSource.OpenAsync(store, job.ProductionId, job.AsOf, ct);
            var options = new ExportOptions(database, hybrid ? ExportMode.Hybrid : ExportMode.Portable, MaxInlineBytes: settings.ExportMaxInlineBytes);
            var summary = await BackgroundJobs.WithProgressAsync(
                progress => AssetsDbWriter.WriteAsync(source, blobs, options, progress, ct),
                async now => job = await BackgroundJobs.SaveAsync(store, job with { Progress = JobProgress.From(now) }, ct), ct);

            var file = Path.Combine(directory, "assets.db");
            if (summary.Beside.Count > 0)
            {
                file = Path.Combine(directory, hybrid ? "assets-hybrid.tar" : "assets.tar");
                await TarFile.CreateFromDirectoryAsync(folder, file, includeBaseDirectory: false, ct);
            }
            else File.Move(database, file);
            Directory.Delete(folder, recursive: true);

            var finished = clock.GetUtcNow();
            await BackgroundJobs.SaveAsync(store, job with
            {
                Status = JobStatus.Completed,
                FinishedAt = finished,
                ExpiresAt = finished.AddHours(settings.ExportRetentionHours),
                Progress = new JobProgress(summary.Rows.Values.Sum(), summary.Rows.Values.Sum(), summary.Bytes, summary.Bytes, 100),
                Rows = summary.Rows,
                Beside = summary.Beside,
                FileName = Path.GetFileName(file),
                Size = new FileInfo(file).Length,
                Sha256 = await Sha256Async(file, ct),
            }, CancellationToken.None);
            logger.LogInformation("Export {Id} completed: {Bytes:N0} media bytes in {Seconds:N1} s", job.Id, summary.Bytes, summary.Seconds);
        }
        catch (Exception e)
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            var reason = e switch
            {
                ExportFailedException => e.Message,
                OperationCanceledException => "The service stopped while the export ran.",
                _ => $"Unexpected error ({e.GetType().Name}): {e.Message}",
            };
            if (e is not ExportFailedException) logger.LogError(e, "Export {Id} failed", job.Id);
            await BackgroundJobs.SaveAsync(store, job with { Status = JobStatus.Failed, FinishedAt = clock.GetUtcNow(), Error = reason }, CancellationToken.None);
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
