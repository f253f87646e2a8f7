using Catalog.Projections;
using Catalog.Projections.Blobs;
using Catalog.Projections.Database;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Catalog.Exporter.Cli;

/// <summary>What the CLI's commands do; Program.cs only parses. Exit codes: 0 done, 1 verify found differences, 2 failed.</summary>
public static class Commands
{
    public static Task<int> ExportAsync(ExportOptions options, CancellationToken ct) => RunAsync(async (catalog, console) =>
    {
        console.Line($"Exporting {(options.ProductionId is { } p ? $"production {p}" : "the catalog")}" +
                     $"{(options.AsOf is { } at ? $" as of {at:O}" : "")} ({options.Mode.ToString().ToLowerInvariant()}) to {options.OutputPath}");
        await using var source = await ExportSource.OpenAsync(catalog.Store, options.ProductionId, options.AsOf, ct);
        var summary = await console.WithProgressAsync("export", source.AssetBytes,
            progress => AssetsDbWriter.WriteAsync(source, catalog.Blobs, options, progress, ct));

        var table = new Table().AddColumns("table", "rows");
        foreach (var (name, rows) in summary.Rows) table.AddRow(name, rows.ToString("N0"));
        console.Write(table);
        console.Line($"{summary.Bytes / 1048576.0:N1} MB of media in {summary.Seconds:N1} s ({summary.MegabytesPerSecond:N1} MB/s) → {summary.OutputPath}");
        console.Line($"  written in {summary.WriteSeconds:N2} s, checked in {summary.CheckSeconds:N2} s, flushed to disk and renamed in {summary.SyncSeconds:N2} s");
        if (summary.Beside.Count > 0)
        {
            console.Line(options.Mode == ExportMode.Hybrid
                ? $"{summary.Beside.Count} files written beside the database under data/"
                : $"{summary.Beside.Count} binaries too large to keep inline were written beside the database under data/ (binary_data NULL):");
            if (options.Mode == ExportMode.Portable) foreach (var path in summary.Beside) console.Line($"  data/{path}");
        }
        return 0;
    });

    public static Task<int> VerifyAsync(string path, string? productionId, DateTimeOffset? asOf, CancellationToken ct) => RunAsync(async (catalog, console) =>
    {
        await using var source = await ExportSource.OpenAsync(catalog.Store, productionId, asOf, ct);
        var report = await AssetsDbVerifier.VerifyAsync(path, source, ct);
        console.Line($"{path}: {string.Join(", ", report.Rows.Select(r => $"{r.Value:N0} {r.Key}"))}; {report.HashedBytes / 1048576.0:N1} MB hashed");
        if (report.Ok)
        {
            console.Line("OK: the seed's schema, the catalog's rows, every binary's sha256.");
            return 0;
        }
        foreach (var problem in report.Problems) console.Error(problem);
        console.Error($"{report.Problems.Count} difference(s).");
        return 1;
    });

    public static Task<int> RebuildAsync(CancellationToken ct) => RunAsync(async (catalog, console) =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        console.Line($"Rebuilding {string.Join(", ", CatalogStore.ViewProjections)} from the events…");
        await catalog.Store.RebuildViewsAsync(ct);
        console.Line($"Rebuilt in {watch.Elapsed.TotalSeconds:N1} s.");
        return 0;
    });

    /// <summary>The purge appends events: they record the OS user who ran it.</summary>
    public static Task<int> PurgeAsync(bool all, CancellationToken ct) => RunAsync(async (catalog, console) =>
    {
        var now = DateTimeOffset.UtcNow;
        var result = await Projections.Trash.TrashPurge.PurgeAsync(catalog.Store, catalog.Blobs,
            all ? now : now.AddDays(-catalog.Settings.TrashRetentionDays), Environment.UserName, now, ct);
        console.Line($"Purged {result.Productions} productions and {result.Assets} assets; removed {result.Blobs} blobs ({result.BlobBytes / 1048576.0:N1} MB).");
        return 0;
    });

    private static async Task<int> RunAsync(Func<OpenCatalog, CliConsole, Task<int>> command)
    {
        var console = new CliConsole();
        try
        {
            await using var catalog = await OpenCatalog.OpenAsync();
            return await command(catalog, console);
        }
        catch (Exception e) when (e is ExportFailedException or PostgresUnavailableException or IOException or UnauthorizedAccessException)
        {
            console.Error(e.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            console.Error("Cancelled; nothing was written.");
            return 130;
        }
    }

    /// <summary>The catalog as the service sees it: the same settings, database (reused or started) and blob store.</summary>
    private sealed class OpenCatalog(CatalogSettings settings, CatalogDatabase database, DocumentStore store, IBlobStore blobs) : IAsyncDisposable
    {
        public CatalogSettings Settings { get; } = settings;
        public DocumentStore Store { get; } = store;
        public IBlobStore Blobs { get; } = blobs;

        public static async Task<OpenCatalog> OpenAsync()
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            var settings = CatalogSettings.From(configuration);
            var database = await CatalogDatabase.OpenAsync(settings, NullLogger.Instance);
            var store = DocumentStore.For(o => o.ConfigureCatalog(database.ConnectionString));
            await store.ApplySchemaAsync();
            return new OpenCatalog(settings, database, store, new FileSystemBlobStore(settings.BlobDirectory));
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
