using Catalog.Importer;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using System.Text.Json;
using Marten;

namespace Catalog.Api.Importing;

/// <summary>
/// Once the service has started, an import of the built-in samples is rehearsed in the background, as a folder and then as
/// an <c>assets.db</c> (<see cref="ImportSamples"/>: everything read and decided, nothing kept), so that the first
/// <c>import-fs</c> or <c>import-db</c> a user asks for runs code already compiled. <c>Catalog:RehearseImport=false</c> turns it off.
/// </summary>
public sealed class ImportRehearsal(IHostApplicationLifetime lifetime, CatalogSettings settings, IDocumentStore store, IBlobStore blobs, MediaProbe probe,
    ILogger<ImportRehearsal> logger) : IHostedService
{
    private Task _rehearsal = Task.CompletedTask;

    public Task StartAsync(CancellationToken ct)
    {
        if (settings.RehearseImport) lifetime.ApplicationStarted.Register(() => _rehearsal = Task.Run(RehearseAsync));
        return Task.CompletedTask;
    }

    /// <summary>A rehearsal still running (stopping cancels it) ends, its temporary folder removed, before the store and its PostgreSQL go.</summary>
    public Task StopAsync(CancellationToken ct) => _rehearsal.WaitAsync(ct);

    private static string Outcomes(ImportReport report) =>
        string.Join(", ", report.Counts.Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"));

    private async Task RehearseAsync()
    {
        try
        {
            var (report, database, took) = await ImportSamples.RehearseAsync(store, blobs, probe, lifetime.ApplicationStopping);
            // The lines an import answers with (LocalImports), written nowhere: their JSON's code is compiled too.
            var files = report.Counts.Values.Sum();
            ImportLine[] lines = [new(Progress: new WorkProgress(files, files, report.Bytes, report.Bytes)),
                new(Entry: report.Entries.FirstOrDefault() ?? new ImportEntry("data/images/sample.png", "rehearsed", "nothing kept")),
                new(Summary: ImportSummary.From(report))];
            foreach (var line in lines) await JsonSerializer.SerializeAsync(Stream.Null, line, ImportJson.Default.ImportLine, lifetime.ApplicationStopping);
            logger.LogInformation("Import rehearsed in {Milliseconds} ms on the built-in samples (a folder: {Outcomes}; an assets.db: {DatabaseOutcomes}; nothing kept): the imports' code is compiled",
                (long)took.TotalMilliseconds, Outcomes(report), Outcomes(database));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // stopped before it finished: nothing to report, nothing was kept
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not rehearse an import at start; the first import compiles its code as it goes");
        }
    }
}
