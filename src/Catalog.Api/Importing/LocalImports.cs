using System.Text.Json;
using System.Threading.Channels;
using Catalog.Api.Http;
using Catalog.Api.Media;
using Catalog.Domain;
using Catalog.Importer;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Marten;
using Wolverine;

namespace Catalog.Api.Importing;

/// <summary>
/// A folder or an assets.db of this machine imported by the running service, where it lies: the same imports as
/// <c>catalog import-fs</c> (<see cref="FileSystemImport"/>) and <c>catalog import-db</c> (<see cref="AssetsDbImport"/>),
/// without a process to start and with code already compiled — what the CLI hands the service when it finds it
/// (<see cref="LocalService"/>). Only the operator on this machine may ask (they read the service's disk). The answer
/// streams, a JSON line at a time (<see cref="ImportLine"/>): the lines the CLI prints as they happen, the progress, and the
/// summary last. A request refused before the import starts is a ProblemDetails; the caller going away cancels the import
/// (what was committed stays; a re-run imports the rest).
/// </summary>
public static class LocalImportEndpoints
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(200);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static Task Folder(FolderImportRequest request, HttpContext http, IDocumentStore store, IBlobStore blobs, MediaProbe probe,
        CatalogSettings settings, IMessageBus bus, TimeProvider clock, ILogger<FolderImportRequest> logger, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Root) || !Path.IsPathFullyQualified(request.Root))
            throw ApiProblem.BadRequest("root: the folder's absolute path on the service's machine (it holds data/images, data/videos, data/audio, data/productions).");
        return StreamAsync(http, bus, clock, logger, request.Root, (actor, progress, started) =>
            FileSystemImport.RunAsync(store, blobs, probe, settings.MaxUploadBytes, request.Options(), actor, progress, ct, started), ct);
    }

    public static Task Database(DatabaseImportRequest request, HttpContext http, IDocumentStore store, IBlobStore blobs,
        CatalogSettings settings, IMessageBus bus, TimeProvider clock, ILogger<DatabaseImportRequest> logger, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Path) || !Path.IsPathFullyQualified(request.Path))
            throw ApiProblem.BadRequest("path: the assets.db's absolute path on the service's machine.");
        return StreamAsync(http, bus, clock, logger, request.Path, (actor, progress, started) =>
            AssetsDbImport.RunAsync(store, blobs, settings.MaxUploadBytes, request.Path, actor, progress, ct, started, request.Parallelism), ct);
    }

    /// <summary>Runs an import as the caller, answering its lines as they happen.</summary>
    /// <param name="run">The import, given the actor, its progress and what to call once it starts (its report).</param>
    private static async Task StreamAsync(HttpContext http, IMessageBus bus, TimeProvider clock, ILogger logger, string source,
        Func<string, IProgress<WorkProgress>, Action<ImportReport>, Task<ImportReport>> run, CancellationToken ct)
    {
        var caller = Callers.Of(http);
        var lines = Channel.CreateUnbounded<ImportLine>(new UnboundedChannelOptions { SingleReader = true });
        var lastProgress = DateTimeOffset.MinValue;
        var progress = WorkProgress.Inline(p =>
        {
            var now = clock.GetUtcNow();
            if (now - lastProgress < ProgressEvery && p.Percent < 100) return;
            lastProgress = now;
            lines.Writer.TryWrite(new ImportLine(Progress: p));
        });
        var started = false;
        using var importing = http.RequestServices.GetRequiredService<WritesInFlight>().Import(); // the thumbnails wait for its end
        var sending = SendAsync(http.Response, lines.Reader, ct);
        ImportSummary summary;
        try
        {
            var report = await run(caller.Actor, progress, r =>
            {
                started = true;
                r.Reported += entry => lines.Writer.TryWrite(new ImportLine(Entry: entry));
            });
            summary = ImportSummary.From(report);
            lines.Writer.TryWrite(new ImportLine(Summary: summary));
        }
        catch (Exception e) when (!started) // nothing sent yet: a problem of its own
        {
            if (e is DirectoryNotFoundException or FileNotFoundException) throw DomainException.NotFound(e.Message);
            if (e is ImportFailedException) throw ApiProblem.BadRequest(e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException) // the caller gone cancels; anything else is said on the last line
        {
            logger.LogError(e, "The import of {Source} stopped", source);
            lines.Writer.TryWrite(new ImportLine(Failed: $"The import stopped ({e.GetType().Name}): {e.Message.TrimEnd('.')}. What was registered before stays; run it again for the rest."));
            return;
        }
        finally
        {
            lines.Writer.TryComplete();
            await sending;
        }
        logger.LogInformation("{Source} imported for {Actor}: {Registered} registered, {Skipped} skipped, ok = {Ok}",
            source, caller.Actor, summary.Registered, summary.Skipped, summary.Ok);
        if (summary.Registered > 0) await bus.PublishAsync(new MakeMissingThumbnails());
    }

    /// <summary>Writes each line as it comes, flushing when none waits; the response starts with the first line.</summary>
    private static async Task SendAsync(HttpResponse response, ChannelReader<ImportLine> lines, CancellationToken ct)
    {
        var body = response.Body;
        while (await lines.WaitToReadAsync(ct))
        {
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = ImportLine.ContentType;
                response.Headers.CacheControl = "no-store";
            }
            while (lines.TryRead(out var line))
            {
                await JsonSerializer.SerializeAsync(body, line, ImportJson.Default.ImportLine, ct);
                await body.WriteAsync(NewLine, ct);
            }
            await body.FlushAsync(ct);
        }
    }
}
