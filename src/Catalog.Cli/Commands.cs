using Catalog.Infrastructure.Renditions;
using Catalog.Application;
using Catalog.Application.Trash;
using Catalog.Exporter;
using Catalog.Importer;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Database;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Access;
using Catalog.Projections;
using Catalog.Projections.Views;
using JasperFx;
using Marten;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Catalog.Cli;

/// <summary>
/// What the CLI's commands do; Program.cs only parses. Exit codes: 0 done, 1 verify found differences or an import
/// left something out, 2 failed, 130 cancelled.
/// </summary>
public static class Commands
{
    public static Task<int> ExportAsync(ExportOptions options, CancellationToken ct) => RunAsync(usesStore: false, needsStore: options.AsOf is not null, async (catalog, console) =>
    {
        console.Line($"Exporting {(options.ProductionId is { } p ? $"production {p}" : "the catalog")}" +
                     $"{(options.AsOf is { } at ? $" as of {at:O}" : "")} ({options.Mode.ToString().ToLowerInvariant()}) to {options.OutputPath}");
        await using var source = await ExportSource.OpenAsync(catalog.Connect, () => catalog.Store, options.ProductionId, options.AsOf, ct);
        var summary = await console.WithProgressAsync("export", source.AssetBytes,
            progress => AssetsDbWriter.WriteAsync(source, catalog.Blobs, options, progress, ct));

        var table = new Table().AddColumns("table", "rows");
        foreach (var (name, rows) in summary.Rows) table.AddRow(name, rows.ToString("N0"));
        console.Write(table);
        console.Line($"{summary.Bytes / 1048576.0:N1} MB of media in {summary.Seconds:N1} s ({summary.MegabytesPerSecond:N1} MB/s) → {summary.OutputPath}");
        console.Line($"  written in {summary.WriteSeconds:N2} s, checked in {summary.CheckSeconds:N2} s while flushing to disk, flushed and renamed in {summary.SyncSeconds:N2} s");
        if (summary.Beside.Count > 0)
        {
            console.Line(options.Mode == ExportMode.Hybrid
                ? $"{summary.Beside.Count} files written beside the database under data/"
                : $"{summary.Beside.Count} binaries too large to keep inline were written beside the database under data/ (binary_data NULL):");
            if (options.Mode == ExportMode.Portable) foreach (var path in summary.Beside) console.Line($"  data/{path}");
        }
        return 0;
    });

    public static Task<int> VerifyAsync(string path, string? productionId, DateTimeOffset? asOf, CancellationToken ct) => RunAsync(usesStore: false, needsStore: asOf is not null, async (catalog, console) =>
    {
        await using var source = await ExportSource.OpenAsync(catalog.Connect, () => catalog.Store, productionId, asOf, ct);
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

    public static Task<int> RebuildAsync(CancellationToken ct) => RunAsync(usesStore: true, async (catalog, console) =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        console.Line($"Rebuilding {string.Join(", ", CatalogStore.ViewProjections)} from the events…");
        await catalog.Store.RebuildViewsAsync(ct);
        console.Line($"Rebuilt in {watch.Elapsed.TotalSeconds:N1} s.");
        return 0;
    });

    /// <param name="throughService">Hand the import to the service running on this machine when there is one (<see cref="ServiceImport"/>).</param>
    public static Task<int> ImportFilesAsync(FileImportOptions options, bool throughService, CancellationToken ct) => ThroughServiceAsync(throughService,
        (service, console) => ServiceImport.FolderAsync(service, options, console, ct), twinArgs => ImportFilesHereAsync(options, ct, twinArgs), ct);

    /// <summary>
    /// An import handed to the service running on this machine when there is one (<see cref="ServiceImport"/>); else, or when
    /// it does not answer, run here (the twin is then told not to ask it again).
    /// </summary>
    private static async Task<int> ThroughServiceAsync(bool throughService, Func<LocalService, CliConsole, Task<int?>> handOver,
        Func<string[]?, Task<int>> here, CancellationToken ct)
    {
        if (throughService && LocalService.Find(CatalogSettings.From(Configuration()).DataDirectory) is { } service)
        {
            try
            {
                if (await handOver(service, new CliConsole()) is { } code) return code;
                return await here(["--no-service"]);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled; what was registered stays (run the import again for the rest).");
                return 130;
            }
        }
        return await here(null);
    }

    private static Task<int> ImportFilesHereAsync(FileImportOptions options, CancellationToken ct, string[]? twinArgs = null) => RunAsync(usesStore: true, needsStore: true, async (catalog, console) =>
    {
        var probe = MediaProbe.FromSetting(catalog.Settings.Ffprobe);
        console.Line($"Importing {Path.GetFullPath(options.Root)}{(options.DeleteSource ? " (deleting each source file once the catalog holds it)" : "")}; " +
                     $"media metadata read in process{(probe.Ffprobe is { } ffprobe ? $" (ffprobe, {ffprobe}, only for containers read nowhere else)" : " (no ffprobe: containers read nowhere else keep their numbers empty)")}");
        var report = await console.WithProgressAsync("import", 0, "files", progress => FileSystemImport.RunAsync(
            catalog.Store, catalog.Blobs, probe, catalog.Settings.MaxUploadBytes, options, Environment.UserName, progress, ct, r => Follow(console, r)));
        return Summarise(console, ImportSummary.From(report), report.Entries);
    }, twinArgs);

    /// <param name="throughService">Hand the import to the service running on this machine when there is one.</param>
    public static Task<int> ImportDatabaseAsync(string path, int parallelism, bool throughService, CancellationToken ct) => ThroughServiceAsync(throughService,
        (service, console) => ServiceImport.DatabaseAsync(service, new DatabaseImportRequest(Path.GetFullPath(path), parallelism), console, ct),
        twinArgs => ImportDatabaseHereAsync(path, parallelism, ct, twinArgs), ct);

    private static Task<int> ImportDatabaseHereAsync(string path, int parallelism, CancellationToken ct, string[]? twinArgs) => RunAsync(usesStore: true, needsStore: true, async (catalog, console) =>
    {
        console.Line($"Importing {Path.GetFullPath(path)}");
        var report = await console.WithProgressAsync("import", 0, "rows", progress => AssetsDbImport.RunAsync(
            catalog.Store, catalog.Blobs, catalog.Settings.MaxUploadBytes, path, Environment.UserName, progress, ct, r => Follow(console, r), parallelism));
        return Summarise(console, ImportSummary.From(report), report.Entries);
    }, twinArgs);

    /// <summary>Plain output reports each file as it goes; a terminal, after its progress bar.</summary>
    private static void Follow(CliConsole console, ImportReport report)
    {
        if (!console.Interactive) report.Reported += entry => console.Line(Describe(entry));
    }

    public static string Describe(ImportEntry e) => $"  {e.Label,-12} {e.Item}: {e.Message}";

    /// <param name="entries">Every line the import reported (the summary holds the first 1,000).</param>
    public static int Summarise(CliConsole console, ImportSummary report, IReadOnlyList<ImportEntry> entries)
    {
        if (console.Interactive) foreach (var entry in entries) console.Line(Describe(entry));
        var table = new Table().AddColumns("", "count");
        table.AddRow("registered", report.Registered.ToString("N0"));
        table.AddRow("skipped (already in the catalog)", report.Skipped.ToString("N0"));
        table.AddRow("conflicts", report.Conflicts.ToString("N0"));
        table.AddRow("unrecognised", report.Unrecognised.ToString("N0"));
        table.AddRow("failed", report.Failed.ToString("N0"));
        table.AddRow("linked to a production", report.Linked.ToString("N0"));
        table.AddRow("references not linked", report.NotLinked.ToString("N0"));
        table.AddRow("productions created", report.ProductionsCreated.ToString("N0"));
        table.AddRow("productions already there", report.ProductionsSkipped.ToString("N0"));
        if (report.Renumbered > 0) table.AddRow("registered under a new id", report.Renumbered.ToString("N0"));
        if (report.SystemFilesLeftOut > 0) table.AddRow("system files passed over (.DS_Store, ._*, Thumbs.db…)", report.SystemFilesLeftOut.ToString("N0"));
        if (report.SourcesDeleted > 0) table.AddRow("source files deleted", report.SourcesDeleted.ToString("N0"));
        console.Write(table);
        console.Line($"{report.Bytes / 1048576.0:N1} MB registered, {report.BytesRead / 1048576.0:N1} MB read in {report.Seconds:N1} s ({report.MegabytesPerSecond:N1} MB/s)");
        if (report.Ok) return 0;
        console.Error("Not everything was imported: see the lines above. Fix or remove those files and run the import again; what is in already is skipped.");
        return 1;
    }

    /// <summary>The purge appends events: they record the OS user who ran it.</summary>
    public static Task<int> PurgeAsync(bool all, CancellationToken ct) => RunAsync(usesStore: true, async (catalog, console) =>
    {
        var now = DateTimeOffset.UtcNow;
        var result = await TrashPurge.PurgeAsync(catalog.Store, catalog.Blobs,
            all ? now : now.AddDays(-catalog.Settings.TrashRetentionDays), Caller.Operator("catalog purge"), TimeProvider.System, ct);
        console.Line($"Purged {result.Productions} productions and {result.Assets} assets; removed {result.Blobs} blobs ({result.BlobBytes / 1048576.0:N1} MB).");
        return 0;
    });

    /// <summary>
    /// <c>keys add NAME --role R [--acts-for-others]</c>: the key is printed this once (only its SHA-256 is kept, in the
    /// data directory the service reads it from). No database is needed: the operator on this machine manages the keys.
    /// </summary>
    public static int AddKey(string name, string role, bool actsForOthers) => WithKeys((keys, console) =>
    {
        var (key, secret) = keys.Add(name, ApiKeyStore.ParseRole(role), actsForOthers, Environment.UserName, "cli");
        console.Line($"Key '{key.Name}' ({role.Trim().ToLowerInvariant()}{(key.ActsForOthers ? ", acts for others" : "")}) — shown this once, keep it safe:");
        Console.Out.WriteLine(secret);
        console.Line("Send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Revoke it with: catalog keys revoke " + key.Name);
        return 0;
    });

    /// <summary><c>keys list</c>: every key, revoked ones too (names, roles, who made them; never a key or its hash).</summary>
    public static int ListKeys() => WithKeys((keys, console) =>
    {
        var all = keys.List();
        if (all.Count == 0)
        {
            console.Line($"No keys yet ({keys.FilePath}): the service makes the first admin key at its first start, or: catalog keys add NAME --role admin");
            return 0;
        }
        console.Line($"{"name",-24} {"role",-6} {"acts for others",-16} {"made",-21} {"by",-16} state");
        foreach (var key in all)
        {
            console.Line($"{key.Name,-24} {key.Role.ToString().ToLowerInvariant(),-6} {(key.ActsForOthers ? "yes" : "no"),-16} " +
                         $"{key.CreatedAt:yyyy-MM-dd HH:mm}Z{"",-4} {key.CreatedBy,-16} " +
                         (key.Revoked ? $"revoked {key.RevokedAt:yyyy-MM-dd HH:mm}Z by {key.RevokedBy}" : $"active ({key.Source})"));
        }
        return 0;
    });

    /// <summary><c>keys revoke NAME</c>: refused by the service from its next request on.</summary>
    public static int RevokeKey(string name) => WithKeys((keys, console) =>
    {
        keys.Revoke(name, Environment.UserName);
        console.Line($"Key '{name}' revoked: the service refuses it from its next request on.");
        return 0;
    });

    private static int WithKeys(Func<ApiKeyStore, CliConsole, int> command)
    {
        var console = new CliConsole();
        try
        {
            return command(new ApiKeyStore(CatalogSettings.From(Configuration()).DataDirectory, TimeProvider.System), console);
        }
        catch (Exception e) when (e is ApiKeyException or IOException or UnauthorizedAccessException)
        {
            console.Error(e.Message);
            return 2;
        }
    }

    /// <summary>The settings as the service reads them: ./appsettings.json, then the environment.</summary>
    private static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    private static Task<int> RunAsync(bool usesStore, Func<OpenCatalog, CliConsole, Task<int>> command) => RunAsync(usesStore, usesStore, command);

    /// <param name="usesStore">The command writes through Marten's store: it is built while PostgreSQL is reached.</param>
    /// <param name="needsStore">The command builds Marten's store, at once or when it first asks for it (an export as of an
    /// instant folds the events with it): the ahead-of-time build hands it to its twin (<see cref="StoreTwin"/>).</param>
    /// <param name="twinArgs">Arguments the twin gets after this process's own.</param>
    private static async Task<int> RunAsync(bool usesStore, bool needsStore, Func<OpenCatalog, CliConsole, Task<int>> command, string[]? twinArgs = null)
    {
        var console = new CliConsole();
        if (needsStore && StoreTwin.Needed) return StoreTwin.Exec(console, twinArgs);
        try
        {
            await using var catalog = await OpenCatalog.OpenAsync(usesStore);
            return await command(catalog, console);
        }
        catch (SchemaOfAnotherBuildException)
        {
            return StoreTwin.Exec(console, twinArgs); // everything this process opened is closed: the twin applies the schema
        }
        catch (Exception e) when (e is ExportFailedException or ImportFailedException or PostgresUnavailableException or IOException or UnauthorizedAccessException)
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

    /// <summary>The schema was last applied by another build, and this one (ahead of time) cannot apply it: its twin can.</summary>
    private sealed class SchemaOfAnotherBuildException : Exception;

    /// <summary>
    /// The catalog as the service sees it: the same settings, database (reused or started) and blob store. Marten's store is
    /// built beside the connection for a command that writes through it, when a command first asks for it otherwise (an
    /// export of the catalog as it is now never does), or at once when the schema was last applied by another build.
    /// </summary>
    private sealed class OpenCatalog(CatalogSettings settings, CatalogDatabase database, NpgsqlDataSource connections, IBlobStore blobs,
        bool schemaIsCurrent, DocumentStore? store) : IAsyncDisposable
    {
        private DocumentStore? _store = store;

        public CatalogSettings Settings { get; } = settings;
        public IBlobStore Blobs { get; } = blobs;

        /// <summary>
        /// Marten's store. When this build applied the schema last, Marten is told not to check it again: it would otherwise
        /// read the tables, indexes and functions of every document type and of the events back from PostgreSQL the first
        /// time a command touches each (a few dozen catalogue queries, ~0.2 s of an import's start).
        /// </summary>
        public DocumentStore Store => _store ??= NewStore(database.ConnectionString, schemaIsCurrent);

        private static DocumentStore NewStore(string connectionString, bool schemaIsCurrent) => DocumentStore.For(o =>
        {
            o.ConfigureCatalog(connectionString);
            if (schemaIsCurrent) o.AutoCreateSchemaObjects = AutoCreate.None;
        });

        /// <summary>A new, unopened connection to the catalog's database.</summary>
        public NpgsqlConnection Connect() => connections.CreateConnection();

        /// <summary>
        /// PostgreSQL is reached (its cluster found or started, a connection made, the schema's build read) on one core
        /// while this one readies the rest: the blob store, the catalog's JSON options and SQLite's native library, which a
        /// command's first rows would otherwise wait for one after the other.
        /// </summary>
        /// <param name="buildStore">Build Marten's store (~0.15 s) on a thread of its own once the database is known, as for a
        /// current schema; it is dropped when the schema turns out to be another build's.</param>
        public static async Task<OpenCatalog> OpenAsync(bool buildStore)
        {
            var settings = CatalogSettings.From(Configuration());
            var reaching = Task.Run(() => ReachAsync(settings, buildStore));
            IBlobStore blobs;
            try
            {
                blobs = new FileSystemBlobStore(settings.BlobDirectory, sha256 => Renditions.PathsOf(settings.RenditionDirectory, sha256));
                // A first reading builds the JSON options' metadata by reflection (~20 ms): done here, beside the connection.
                CatalogStore.Serializer.FromJson<ProductionView>(new MemoryStream("{\"id\":\"warm\"}"u8.ToArray()));
                using (var sqlite = new SqliteConnection("Data Source=:memory:")) sqlite.Open();
            }
            catch
            {
                await DisposeAsync(reaching);
                throw;
            }

            var (database, connections, current, built) = await reaching;
            if (!current && built is not null)
            {
                await built.DisposeAsync(); // made to skip the schema checks, which another build's schema needs
                built = null;
            }
            var catalog = new OpenCatalog(settings, database, connections, blobs, current, built);
            try
            {
                if (!current && StoreTwin.Needed) throw new SchemaOfAnotherBuildException();
                if (!current) await catalog.Store.ApplySchemaAsync();
                return catalog;
            }
            catch
            {
                await catalog.DisposeAsync();
                throw;
            }
        }

        /// <summary>Lets go of what <see cref="ReachAsync"/> reached, when the rest of the start failed (if it failed too, it kept nothing).</summary>
        private static async Task DisposeAsync(Task<(CatalogDatabase, NpgsqlDataSource, bool, DocumentStore?)> reaching)
        {
            (CatalogDatabase Database, NpgsqlDataSource Connections, bool, DocumentStore? Store) reached;
            try
            {
                reached = await reaching;
            }
            catch
            {
                return; // ReachAsync disposes what it made before it throws
            }
            if (reached.Store is not null) await reached.Store.DisposeAsync();
            await reached.Connections.DisposeAsync();
            await reached.Database.DisposeAsync();
        }

        /// <summary>The database, the CLI's own connections to it, whether its schema is this build's, and Marten's store when asked for.</summary>
        private static async Task<(CatalogDatabase, NpgsqlDataSource, bool SchemaIsCurrent, DocumentStore?)> ReachAsync(CatalogSettings settings, bool buildStore)
        {
            var database = await CatalogDatabase.OpenAsync(settings, NullLogger.Instance);
            var building = buildStore ? Task.Run(() => NewStore(database.ConnectionString, schemaIsCurrent: true)) : null;
            // The CLI's own queries read text, numbers and jsonb as text: PostgreSQL's built-in types, so its connections
            // skip loading the server's type catalogue (a round trip and a large query at every command's start).
            var connections = new NpgsqlDataSourceBuilder(database.ConnectionString)
                .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
                .Build();
            try
            {
                bool current;
                await using (var connection = connections.CreateConnection()) current = await CatalogStore.SchemaIsCurrentAsync(connection);
                return (database, connections, current, building is null ? null : await building);
            }
            catch (Exception e)
            {
                if (building is not null) await DisposeQuietlyAsync(building);
                await connections.DisposeAsync();
                await database.DisposeAsync();
                if (e is not NpgsqlException) throw;
                // A server that refuses, is not there or turns the login down: one clear line (exit 2), never a stack trace.
                var at = new NpgsqlConnectionStringBuilder(database.ConnectionString);
                throw new PostgresUnavailableException(
                    $"PostgreSQL at {at.Host}:{at.Port} (database {at.Database}, {database.Description}) did not let the CLI in: " +
                    $"{e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}");
            }
        }

        /// <summary>The store built beside a start that failed: let go of, whether it was built or not.</summary>
        private static async Task DisposeQuietlyAsync(Task<DocumentStore> building)
        {
            try
            {
                await (await building).DisposeAsync();
            }
            catch
            {
                // never built: nothing to let go of (the start's own failure is the one reported)
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_store is not null) await _store.DisposeAsync();
            (Blobs as IDisposable)?.Dispose(); // its staging lock: what it left staged is abandoned from now on
            await connections.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
