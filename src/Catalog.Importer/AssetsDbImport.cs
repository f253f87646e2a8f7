using Catalog.Domain;
using System.Diagnostics;
using System.Globalization;
using Catalog.Application.Assets;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Exporter;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Projections.Views;
using Catalog.Projections;
using Marten;
using Microsoft.Data.Sqlite;

namespace Catalog.Importer;

/// <summary>
/// An <c>assets.db</c> in the seed's schema brought into the catalog as ordinary events: its productions as they
/// were (timestamps, status, JSON), its rows with their columns, their bytes from <c>binary_data</c> — or, where
/// that is NULL, from <c>data/{table}/{filename}</c> beside the file — streamed into the blob store.
/// Ids are kept when no asset of the kind ever had the id in this catalog; otherwise the row gets a new id above
/// every id of the file (reported): each kind's sequence first moves past the file's highest id and its <c>sqlite_sequence</c>.
/// </summary>
public static class AssetsDbImport
{
    /// <param name="parallelism">Rows imported at once, each worker reading its share of a table on its own connection.</param>
    public static async Task<ImportReport> RunAsync(IDocumentStore store, IBlobStore blobs, long maxBytes, string path, string actor,
        IProgress<WorkProgress>? progress, CancellationToken ct, Action<ImportReport>? started = null, int parallelism = 4)
    {
        var watch = Stopwatch.StartNew();
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        await using var db = Open(path);
        try
        {
            await db.OpenAsync(ct);
            var missing = SeedSchemaCheck.Differences(db).Where(d => d.StartsWith("missing:", StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
                throw new ImportFailedException($"'{path}' is not in the seed's schema: {string.Join("; ", missing.Take(5))}{(missing.Count > 5 ? " …" : "")}");
        }
        catch (SqliteException e)
        {
            throw new ImportFailedException($"'{path}' is not a SQLite database the import can read: {e.Message}");
        }
        var report = new ImportReport(); // the file is one the import can read: it starts
        started?.Invoke(report);
        var importer = new Importer(store, blobs, maxBytes, actor, $"import-db {path}", report);

        var live = new HashSet<string>(StringComparer.Ordinal);
        var productions = new List<(ImportProduction Command, string Item)>();
        foreach (var (production, source, error) in ReadProductions(db, Path.GetFileName(path)))
        {
            if (production is null) report.Production(source, ImportOutcome.Failed, error);
            else productions.Add((production, source));
        }
        var imported = await importer.ImportProductionsAsync(productions, ct);
        live.UnionWith(productions.Where((_, i) => imported[i]).Select(p => p.Command.ProductionId));

        var state = new TableState(store, db, path, Math.Max(1, parallelism), importer, live, progress,
            new WorkProgress(0, Scalar(db, "select (select count(*) from images) + (select count(*) from videos) + (select count(*) from audio)"), 0,
                Scalar(db, "select " + string.Join(" + ", Enum.GetValues<AssetKind>().Select(k =>
                    $"(select coalesce(sum(coalesce(length(binary_data), file_size, 0)), 0) from {k.Table()})")))));
        progress?.Report(state.Done);
        foreach (var kind in AssetKinds.All) await kind.Accept(new ImportTable(state, ct));

        report.Seconds = watch.Elapsed.TotalSeconds;
        return report;
    }

    private sealed class TableState(IDocumentStore store, SqliteConnection db, string path, int parallelism, Importer importer,
        HashSet<string> live, IProgress<WorkProgress>? progress, WorkProgress done)
    {
        private readonly Lock _gate = new();
        private WorkProgress _done = done;

        public IDocumentStore Store { get; } = store;
        public SqliteConnection Db { get; } = db;
        public string Path { get; } = path;
        public string Directory { get; } = System.IO.Path.GetDirectoryName(path)!;
        public int Parallelism { get; } = parallelism;
        public Importer Importer { get; } = importer;
        public IProgress<WorkProgress>? Progress { get; } = progress;
        public WorkProgress Done => _done;

        public bool IsLive(string productionId)
        {
            lock (_gate) return live.Contains(productionId);
        }

        public void Live(string productionId)
        {
            lock (_gate) live.Add(productionId);
        }

        public void RowDone(long bytes)
        {
            lock (_gate)
            {
                _done = _done with { Rows = _done.Rows + 1, Bytes = _done.Bytes + bytes };
                Progress?.Report(_done);
            }
        }
    }

    private static SqliteConnection Open(string path) => new(new SqliteConnectionStringBuilder
    {
        DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
    }.ToString());

    private static IEnumerable<(ImportProduction? Production, string Source, string? Error)> ReadProductions(SqliteConnection db, string fileName)
    {
        using var command = db.CreateCommand();
        command.CommandText = "select id, title, artist, audio_filename, audio_duration, created_at, updated_at, status, storyboard_json, settings_json from productions order by rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var source = $"{fileName} productions '{reader.GetString(0)}'";
            ImportProduction? production = null;
            string? error = null;
            try
            {
                production = new ImportProduction(reader.GetString(0), Text(1), Text(2), Text(3), reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    Text(7), Text(8), Text(9), SeedTimestamps.Parse(Text(5), "created_at"), SeedTimestamps.Parse(Text(6), "updated_at"), source);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException)
            {
                error = e.Message;
            }
            yield return (production, source, error);
        }
    }

    private sealed record ImportTable(TableState State, CancellationToken Ct) : IAssetKindVisitor<Task>
    {
        public Task Visit<TMetadata>() where TMetadata : IAssetMetadata => ImportTableAsync<TMetadata>(State, Ct);
    }

    private static async Task ImportTableAsync<TMetadata>(TableState state, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var table = TMetadata.Kind.Table();
        // First the sequence moves past every id the file's catalog handed out (its deleted rows' included): rows
        // that must be renumbered then get ids above the file's, never one a later row keeps.
        var highest = Scalar(state.Db, $"select max(coalesce((select max(id) from {table}), 0), coalesce((select seq from sqlite_sequence where name = '{table}'), 0))");
        await using (var session = state.Store.LightweightSession())
            await AssetIds.AdvanceAsync(session, TMetadata.Kind, highest, ct);

        var fields = AssetKinds.Of<TMetadata>().Fields;
        var columns = new[] { "rowid", "id", "filename", "production_id", "created_at", "file_size", "mime_type", "length(binary_data) is null" }
            .Concat(fields.Select(f => f.Name)).ToList();
        // Several workers, each reading its share of the rows (id modulo the workers) on its own connection:
        // SQLite serves several readers; filenames are unique in the table, so the workers never meet.
        await Parallel.ForEachAsync(Enumerable.Range(0, state.Parallelism),
            new ParallelOptions { MaxDegreeOfParallelism = state.Parallelism, CancellationToken = ct }, async (share, token) =>
            {
                await using var db = Open(state.Path);
                await db.OpenAsync(token);
                await using var command = db.CreateCommand();
                command.CommandText = $"select {string.Join(", ", columns)} from {table} where id % {state.Parallelism} = {share} order by id";
                await using var reader = await command.ExecuteReaderAsync(token);
                // Group commit: the staged rows are registered together (one transaction, one flush of their bytes).
                var batch = new List<(PendingAsset Asset, long WantedId)>();
                long bytes = 0;
                while (await reader.ReadAsync(token))
                {
                    var (rowId, id, filename) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
                    var fileSize = reader.IsDBNull(5) ? (long?)null : reader.GetInt64(5);
                    if (await ImportRowAsync<TMetadata>(state, db, reader, fields, table, rowId, id, filename, fileSize, token) is { } pending)
                    {
                        batch.Add((pending, id));
                        bytes += pending.Blob.Length;
                    }
                    if (batch.Count >= BatchRows || bytes >= BatchBytes)
                    {
                        await CommitAsync<TMetadata>(state, batch, token);
                        bytes = 0;
                    }
                    state.RowDone(fileSize ?? 0);
                }
                await CommitAsync<TMetadata>(state, batch, token);
            });
    }

    /// <summary>Rows registered together; a kill loses at most one batch per worker, which the next run imports.</summary>
    private const int BatchRows = 256;

    private const long BatchBytes = 256L * 1024 * 1024;

    private static async Task CommitAsync<TMetadata>(TableState state, List<(PendingAsset Asset, long WantedId)> batch, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        try
        {
            await state.Importer.RegisterAsync(batch.Select(b => b.Asset).ToList(), ct);
            foreach (var (asset, wanted) in batch)
                if (asset.Id is { } newId && newId != wanted)
                    state.Importer.Report.NewId(asset.Item, $"registered as {TMetadata.Kind.Name()} #{newId}: #{wanted} is taken in this catalog");
        }
        finally
        {
            foreach (var (asset, _) in batch) await asset.DisposeAsync();
            batch.Clear();
        }
    }

    /// <returns>The row's bytes staged and its registration ready for the batch; null when it was left out (reported) or is there already.</returns>
    private static async Task<PendingAsset?> ImportRowAsync<TMetadata>(TableState state, SqliteConnection db, SqliteDataReader reader, IReadOnlyList<MetadataField> fields,
        string table, long rowId, long id, string filename, long? fileSize, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var report = state.Importer.Report;
        var item = $"{table} #{id} '{filename}'";
        if (AssetFilenames.Problem(filename) is { } problem)
        {
            report.Item(item, ImportOutcome.Failed, $"not a usable filename: {problem}");
            return null;
        }

        TMetadata metadata;
        DateTimeOffset? createdAt;
        try
        {
            var kind = AssetKinds.Of<TMetadata>();
            metadata = kind.Create(field => kind.Normalized(field, field.Convert(reader.GetValue(reader.GetOrdinal(field.Name)))));
            createdAt = SeedTimestamps.Parse(reader.IsDBNull(4) ? null : reader.GetString(4), "created_at");
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            report.Item(item, ImportOutcome.Failed, e.Message);
            return null;
        }

        var productionId = reader.IsDBNull(3) ? null : reader.GetString(3);
        if (productionId is not null && !state.IsLive(productionId))
        {
            if (await state.Importer.ProductionIsLiveAsync(productionId, ct)) state.Live(productionId);
            else
            {
                report.Unlinked(item, $"its production '{productionId}' is neither in the file nor in the catalog: registered without one");
                productionId = null;
            }
        }

        var rowMime = reader.IsDBNull(6) ? null : reader.GetString(6);
        await using var content = AssetsDbContent.Open(db, state.Directory, table, rowId, filename, reader.GetBoolean(7), out var where);
        if (content is null)
        {
            report.Item(item, ImportOutcome.Failed, $"binary_data is NULL and {where} is not beside the database");
            return null;
        }

        if (await state.Importer.FindAsync<TMetadata>(filename, ct) is { } existing)
        {
            await state.Importer.AlreadyThereAsync(item, existing, content, productionId, ct);
            return null;
        }

        return await state.Importer.StageAsync(item, content, staged => ValueTask.FromResult<RegisterAsset<TMetadata>?>(Registration(staged)), wantedId: id, ct);

        RegisterAsset<TMetadata>? Registration(StagedBlob staged)
        {
            if (fileSize is { } size && size != staged.Length)
            {
                report.Item(item, ImportOutcome.Failed, $"file_size says {size:N0} bytes but {where} holds {staged.Length:N0}");
                return null;
            }
            var detected = MediaTypes.Detect(staged.Head.Span);
            if (detected is null)
            {
                report.Item(item, ImportOutcome.Unrecognised, $"{where} is not an image, video or audio format the catalog knows");
                return null;
            }
            var mimeType = rowMime ?? detected;
            if (!mimeType.StartsWith(AssetKinds.Of<TMetadata>().MimePrefix, StringComparison.Ordinal) || !detected.StartsWith(AssetKinds.Of<TMetadata>().MimePrefix, StringComparison.Ordinal))
            {
                report.Item(item, ImportOutcome.Failed, $"{where} holds {detected} (mime_type {rowMime ?? "NULL"}), not {AssetKinds.Of<TMetadata>().MimePrefix}*");
                return null;
            }
            return new RegisterAsset<TMetadata>(filename, productionId, metadata, new StoredContent(staged.Sha256, staged.Length, mimeType), createdAt);
        }
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

public sealed class ImportFailedException(string message) : Exception(message);
