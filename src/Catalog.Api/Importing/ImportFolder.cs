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
/// A folder of this machine imported by the running service: the same import as <c>catalog import-fs</c>
/// (<see cref="FileSystemImport"/>), without a process to start and with code already compiled — what the CLI hands the
/// service when it finds it (<see cref="LocalService"/>). Only the operator on this machine may ask (it reads the
/// service's disk). The answer streams, a JSON line at a time (<see cref="FolderImportLine"/>): the lines the CLI prints as
/// they happen, the progress, and the summary last. A request refused before the import starts is a ProblemDetails; the
/// caller going away cancels the import (what was committed stays; a re-run imports the rest).
/// </summary>
public static class ImportFolderEndpoint
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(200);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task Post(FolderImportRequest request, HttpContext http, IDocumentStore store, IBlobStore blobs, MediaProbe probe,
        CatalogSettings settings, IMessageBus bus, TimeProvider clock, ILogger<FolderImportRequest> logger, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Root) || !Path.IsPathFullyQualified(request.Root))
            throw ApiProblem.BadRequest("root: the folder's absolute path on the service's machine (it holds data/images, data/videos, data/audio, data/productions).");
        var caller = Callers.Of(http);
        var lines = Channel.CreateUnbounded<FolderImportLine>(new UnboundedChannelOptions { SingleReader = true });
        var lastProgress = DateTimeOffset.MinValue;
        var progress = WorkProgress.Inline(p =>
        {
            var now = clock.GetUtcNow();
            if (now - lastProgress < ProgressEvery && p.Percent < 100) return;
            lastProgress = now;
            lines.Writer.TryWrite(new FolderImportLine(Progress: p));
        });
        var started = false;
        var sending = SendAsync(http.Response, lines.Reader, ct);
        ImportSummary summary;
        try
        {
            var report = await FileSystemImport.RunAsync(store, blobs, probe, settings.MaxUploadBytes, request.Options(), caller.Actor, progress, ct, r =>
            {
                started = true;
                r.Reported += entry => lines.Writer.TryWrite(new FolderImportLine(Entry: entry));
            });
            summary = ImportSummary.From(report);
            lines.Writer.TryWrite(new FolderImportLine(Summary: summary));
        }
        catch (Exception e) when (!started) // nothing sent yet: a problem of its own
        {
            if (e is DirectoryNotFoundException) throw DomainException.NotFound(e.Message);
            if (e is ImportFailedException) throw ApiProblem.BadRequest(e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException) // the caller gone cancels; anything else is said on the last line
        {
            logger.LogError(e, "The import of {Root} stopped", request.Root);
            lines.Writer.TryWrite(new FolderImportLine(Failed: $"The import stopped ({e.GetType().Name}): {e.Message}. What was registered before stays; run it again for the rest."));
            return;
        }
        finally
        {
            lines.Writer.TryComplete();
            await sending;
        }
        logger.LogInformation("Folder {Root} imported for {Actor}: {Registered} registered, {Skipped} skipped, ok = {Ok}",
            request.Root, caller.Actor, summary.Registered, summary.Skipped, summary.Ok);
        if (summary.Registered > 0) await bus.PublishAsync(new MakeMissingThumbnails());
    }

    /// <summary>Writes each line as it comes, flushing when none waits; the response starts with the first line.</summary>
    private static async Task SendAsync(HttpResponse response, ChannelReader<FolderImportLine> lines, CancellationToken ct)
    {
        var body = response.Body;
        while (await lines.WaitToReadAsync(ct))
        {
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = FolderImportLine.ContentType;
                response.Headers.CacheControl = "no-store";
            }
            while (lines.TryRead(out var line))
            {
                await JsonSerializer.SerializeAsync(body, line, FolderImportJson.Default.FolderImportLine, ct);
                await body.WriteAsync(NewLine, ct);
            }
            await body.FlushAsync(ct);
        }
    }
}
