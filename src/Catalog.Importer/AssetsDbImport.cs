using System.Collections.Concurrent;
using Catalog.Domain;
using System.Diagnostics;
using System.Globalization;
using Catalog.Application;
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
    /// <summary>Rows whose bytes are read and staged at once when the caller does not say.</summary>
    public const int DefaultParallelism = 4;

    /// <param name="parallelism">Rows whose bytes are read and staged at once, each worker on a read-only connection of its own.</param>
    public static Task<ImportReport> RunAsync(IDocumentStore store, IBlobStore blobs, long maxBytes, string path, string actor,
        IProgress<WorkProgress>? progress, CancellationToken ct, Action<ImportReport>? started = null, int parallelism = DefaultParallelism) =>
        RunAsync(store, blobs, maxBytes, path, actor, progress, ct, started, parallelism, rehearsal: null);

    /// <summary>
    /// The import of an <c>assets.db</c> run to the end with nothing kept, as <see cref="FileSystemImport.RehearseAsync"/> runs a
    /// folder's: every row read, its BLOB streamed, hashed and staged, every production and registration decided and sent to
    /// PostgreSQL in one transaction rolled back at the end; no id sequence moved, no blob committed, the staged bytes discarded.
    /// What the service's start runs over the built-in samples (<see cref="ImportSamples"/>).
    /// </summary>
    public static async Task<ImportReport> RehearseAsync(IDocumentStore store, IBlobStore blobs, string path, CancellationToken ct)
    {
        await using var rehearsal = await Rehearsal.BeginAsync(store, ct);
        return await RunAsync(store, blobs, long.MaxValue, path, "catalog", null, ct, null, DefaultParallelism, rehearsal);
    }

    private static async Task<ImportReport> RunAsync(IDocumentStore store, IBlobStore blobs, long maxBytes, string path, string actor,
        IProgress<WorkProgress>? progress, CancellationToken ct, Action<ImportReport>? started, int parallelism, Rehearsal? rehearsal)
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
        var importer = new Importer(store, blobs, maxBytes, actor, $"import-db {path}", report, rehearsal);

        var live = new HashSet<string>(StringComparer.Ordinal);
        var productions = new List<(ImportProduction Command, string Item)>();
        foreach (var (production, source, error) in ReadProductions(db, Path.GetFileName(path)))
        {
            if (production is null) report.Production(source, ImportOutcome.Failed, error);
            else productions.Add((production, source));
        }
        var imported = await importer.ImportProductionsAsync(productions, ct);
        live.UnionWith(productions.Where((_, i) => imported[i]).Select(p => p.Command.ProductionId));

        await using var state = new TableState(store, db, path, Math.Max(1, parallelism), importer, rehearsal is not null, live, progress,
            new WorkProgress(0, Scalar(db, "select (select count(*) from images) + (select count(*) from videos) + (select count(*) from audio)"), 0,
                Scalar(db, "select " + string.Join(" + ", Enum.GetValues<AssetKind>().Select(k =>
                    $"(select coalesce(sum(coalesce(length(binary_data), file_size, 0)), 0) from {k.Table()})")))));
        progress?.Report(state.Done);
        Importer.MakeRoomFor(state.Parallelism + CommitsInFlight);
        try
        {
            foreach (var kind in AssetKinds.All) await kind.Accept(new ImportTable(state, ct));
            await Importer.AwaitCommitsAsync(state.Committing, 0);
        }
        finally
        {
            await Importer.SettleAsync(state.Committing); // stopped midway: the batches already committing finish (or fail) first
        }

        report.Seconds = watch.Elapsed.TotalSeconds;
        return report;
    }

    private sealed class TableState(IDocumentStore store, SqliteConnection db, string path, int parallelism, Importer importer, bool rehearsing,
        HashSet<string> live, IProgress<WorkProgress>? progress, WorkProgress done) : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private WorkProgress _done = done;

        public IDocumentStore Store { get; } = store;
        public SqliteConnection Db { get; } = db;
        public string Path { get; } = path;
        public string Directory { get; } = System.IO.Path.GetDirectoryName(path)!;
        public int Parallelism { get; } = parallelism;
        public Importer Importer { get; } = importer;

        /// <summary>A rehearsal's (<see cref="RehearseAsync"/>): no sequence is moved, as a sequence is not undone.</summary>
        public bool Rehearsing { get; } = rehearsing;
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

        public void RowsDone(int rows, long bytes)
        {
            lock (_gate)
            {
                _done = _done with { Rows = _done.Rows + rows, Bytes = _done.Bytes + bytes };
                Progress?.Report(_done);
            }
        }

        /// <summary>The batches being committed, across the tables (the last of one overlaps the next table's first).</summary>
        public Queue<Task> Committing { get; } = new();

        private readonly ConcurrentBag<SqliteConnection> _connections = [];
        private readonly ConcurrentBag<SqliteConnection> _opened = [];

        /// <summary>A read-only connection of the file for one worker at a time (a row's BLOB is read on it).</summary>
        public async ValueTask<SqliteConnection> RentAsync(CancellationToken ct)
        {
            if (_connections.TryTake(out var db)) return db;
            db = Open(Path);
            _opened.Add(db);
            await db.OpenAsync(ct);
            return db;
        }

        public void Return(SqliteConnection db) => _connections.Add(db);

        public async ValueTask DisposeAsync()
        {
            foreach (var db in _opened) await db.DisposeAsync();
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
        if (!state.Rehearsing)
            await using (var session = state.Store.LightweightSession())
                await AssetIds.AdvanceAsync(session, TMetadata.Kind, highest, ct);

        var fields = AssetKinds.Of<TMetadata>().Fields;
        var columns = new[] { "rowid", "id", "filename", "production_id", "created_at", "file_size", "mime_type", "length(binary_data) is null",
                "coalesce(length(binary_data), file_size, 0)" }
            .Concat(fields.Select(f => f.Name)).ToList();
        // The rows' columns are read in order on one connection (length() does not read a BLOB); the rows are cut into
        // batches, each batch's filenames looked up at once, its bytes read and staged by several workers (each on a
        // connection of its own), and its registrations committed together while the next batch is read.
        await using var command = state.Db.CreateCommand();
        command.CommandText = $"select {string.Join(", ", columns)} from {table} order by id";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var batch = new List<Row<TMetadata>>();
        var (rows, bytes) = (0, 0L);
        while (await reader.ReadAsync(ct))
        {
            var length = reader.GetInt64(8);
            if (ReadRow<TMetadata>(state, reader, fields, table) is { } row) batch.Add(row);
            (rows, bytes) = (rows + 1, bytes + length);
            if (batch.Count >= BatchRows || bytes >= BatchBytes)
            {
                await ImportBatchAsync(state, batch, rows, bytes, ct);
                (batch, rows, bytes) = ([], 0, 0);
            }
        }
        await ImportBatchAsync(state, batch, rows, bytes, ct);
    }

    /// <summary>A row's columns, read and checked; its bytes not yet read.</summary>
    private sealed record Row<TMetadata>(string Item, long RowId, long Id, string Filename, string? ProductionId, DateTimeOffset? CreatedAt,
        long? FileSize, string? MimeType, bool Beside, TMetadata Metadata) where TMetadata : IAssetMetadata;

    /// <returns>The row, or null when its columns are refused (reported).</returns>
    private static Row<TMetadata>? ReadRow<TMetadata>(TableState state, SqliteDataReader reader, IReadOnlyList<MetadataField> fields, string table)
        where TMetadata : IAssetMetadata
    {
        var (rowId, id, filename) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        var item = $"{table} #{id} '{filename}'";
        if (AssetFilenames.Problem(filename) is { } problem)
        {
            state.Importer.Report.Item(item, ImportOutcome.Failed, $"not a usable filename: {problem}");
            return null;
        }
        try
        {
            var kind = AssetKinds.Of<TMetadata>();
            var metadata = kind.Create(field => kind.Normalized(field, field.Convert(reader.GetValue(reader.GetOrdinal(field.Name)))));
            var createdAt = SeedTimestamps.Parse(reader.IsDBNull(4) ? null : reader.GetString(4), "created_at");
            return new Row<TMetadata>(item, rowId, id, filename, reader.IsDBNull(3) ? null : reader.GetString(3), createdAt,
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7), metadata);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            state.Importer.Report.Item(item, ImportOutcome.Failed, e.Message);
            return null;
        }
    }

    /// <summary>Rows registered together; a kill loses at most the batches being committed, which the next run imports.</summary>
    private const int BatchRows = 256;

    private const long BatchBytes = 256L * 1024 * 1024;

    /// <summary>Batches being committed while the next is read (as <c>import-fs</c> does by default).</summary>
    private const int CommitsInFlight = 2;

    /// <param name="rows">The rows of the file the batch stands for, refused ones included (for the progress).</param>
    private static async Task ImportBatchAsync<TMetadata>(TableState state, List<Row<TMetadata>> batch, int rows, long bytes, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var existing = await state.Importer.FindAllAsync<TMetadata>(batch.Select(r => r.Filename).ToArray(), ct);
        var prepared = new PendingAsset?[batch.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = state.Parallelism, CancellationToken = ct },
                async (i, token) =>
                {
                    var db = await state.RentAsync(token);
                    try
                    {
                        prepared[i] = await PrepareRowAsync(state, db, batch[i], existing.GetValueOrDefault(batch[i].Filename), token);
                    }
                    finally
                    {
                        state.Return(db);
                    }
                });
            await Importer.AwaitCommitsAsync(state.Committing, CommitsInFlight - 1);
        }
        catch
        {
            foreach (var asset in prepared) if (asset is not null) await asset.DisposeAsync(); // staged, never to be committed
            throw;
        }
        var staged = Enumerable.Range(0, batch.Count).Where(i => prepared[i] is not null).Select(i => (prepared[i]!, batch[i])).ToList();
        state.Committing.Enqueue(CommitAsync(state, staged, rows, bytes, ct));
    }

    private static async Task CommitAsync<TMetadata>(TableState state, List<(PendingAsset Asset, Row<TMetadata> Row)> batch, int rows, long bytes, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        try
        {
            if (batch.Count > 0) await state.Importer.RegisterAsync(batch.Select(b => b.Asset).ToList(), ct);
            foreach (var (asset, row) in batch)
                if (asset.Id is { } newId && newId != row.Id)
                    state.Importer.Report.NewId(asset.Item, $"registered as {TMetadata.Kind.Name()} #{newId}: #{row.Id} is taken in this catalog");
        }
        finally
        {
            foreach (var (asset, _) in batch) await asset.DisposeAsync();
        }
        state.RowsDone(rows, bytes);
    }

    /// <returns>The row's bytes staged and its registration ready for the batch; null when it was left out (reported) or is there already.</returns>
    private static async Task<PendingAsset?> PrepareRowAsync<TMetadata>(TableState state, SqliteConnection db, Row<TMetadata> row,
        AssetView<TMetadata>? existing, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var report = state.Importer.Report;
        var (item, table) = (row.Item, TMetadata.Kind.Table());
        var productionId = row.ProductionId;
        if (productionId is not null && !state.IsLive(productionId))
        {
            if (await state.Importer.ProductionIsLiveAsync(productionId, ct)) state.Live(productionId);
            else
            {
                report.Unlinked(item, $"its production '{productionId}' is neither in the file nor in the catalog: registered without one");
                productionId = null;
            }
        }

        await using var content = AssetsDbContent.Open(db, state.Directory, table, row.RowId, row.Filename, row.Beside, out var where);
        if (content is null)
        {
            report.Item(item, ImportOutcome.Failed, $"binary_data is NULL and {where} is not beside the database");
            return null;
        }

        if (existing is not null)
        {
            await state.Importer.AlreadyThereAsync(item, existing, content, productionId, ct);
            return null;
        }

        return await state.Importer.StageAsync(item, content, staged => ValueTask.FromResult<RegisterAsset<TMetadata>?>(Registration(staged)), wantedId: row.Id, ct);

        RegisterAsset<TMetadata>? Registration(StagedBlob staged)
        {
            if (row.FileSize is { } size && size != staged.Length)
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
            var prefix = AssetKinds.Of<TMetadata>().MimePrefix;
            if (TMetadata.Kind == AssetKind.Audio && MediaProbe.SoundOnlyAs(staged, detected) is { } sound) detected = sound;
            var mimeType = row.MimeType ?? detected;
            if (!mimeType.StartsWith(prefix, StringComparison.Ordinal) || !detected.StartsWith(prefix, StringComparison.Ordinal))
            {
                report.Item(item, ImportOutcome.Failed, $"{where} holds {detected} (mime_type {row.MimeType ?? "NULL"}), not {prefix}*");
                return null;
            }
            return new RegisterAsset<TMetadata>(row.Filename, productionId, row.Metadata, new StoredContent(staged.Sha256, staged.Length, mimeType), row.CreatedAt);
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
