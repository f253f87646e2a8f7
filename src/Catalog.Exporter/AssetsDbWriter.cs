using System.Globalization;
using System.Diagnostics;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure;
using Catalog.Projections.Views;
using Catalog.Projections;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Catalog.Exporter;

/// <summary>
/// Writes the seed's portable <c>assets.db</c>: the seed's DDL, every row of the source, every binary
/// streamed from the blob store into its row with SQLite's incremental BLOB I/O (<c>zeroblob(n)</c>, then a
/// <see cref="SqliteBlob"/> stream) — memory does not grow with file size. The file is built under a hidden
/// temporary name beside the target (flushed to disk in the background as it grows), checked (<c>integrity_check</c>,
/// <c>foreign_key_check</c>), flushed to disk and only then renamed over the target: a crash, a full disk or a cancellation never leaves a
/// half-written <c>assets.db</c>, and never touches an existing one.
/// </summary>
public static class AssetsDbWriter
{
    private const int CopyBufferSize = 1024 * 1024;

    /// <summary>A record header's worst case: a few bytes per column type code and the header size itself.</summary>
    private const long RecordHeader = 128;

    public static async Task<ExportSummary> WriteAsync(
        ExportSource source, IBlobStore blobs, ExportOptions options, IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var phases = new List<double>();
        var target = Path.GetFullPath(options.OutputPath);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        if (options.Mode == ExportMode.Hybrid) RequireOurs(Path.Combine(directory, "data")); // before any work
        var besideStaging = Path.Combine(directory, $".data.{Guid.NewGuid():N}.partial");

        var state = new WriteState(source, blobs, options, besideStaging, progress);
        try
        {
            await using (var db = Open(partial, options))
            {
                state.LengthLimit = raw.sqlite3_limit(db.Handle, raw.SQLITE_LIMIT_LENGTH, -1);
                await Execute(db, SeedSchema.Ddl, ct);
                // Opened after SQLite's own handle and closed only after it: closing a second descriptor of a file drops
                // every POSIX lock the process holds on it, SQLite's included.
                state.Writeback = new Writeback(partial);
                await using (var transaction = (SqliteTransaction)await db.BeginTransactionAsync(ct))
                {
                    await WriteProductionsAsync(db, state, ct);
                    foreach (var kind in AssetKinds.All) await kind.Accept(new WriteAssets(db, state, ct));
                    await transaction.CommitAsync(ct);
                }
                phases.Add(watch.Elapsed.TotalSeconds);
                state.Writeback.StartFlush();
                await CheckAsync(db, ct);
                phases.Add(watch.Elapsed.TotalSeconds);
            }

            await state.Writeback!.FinishAsync();
            if (Directory.Exists(besideStaging)) ReplaceBesideFiles(besideStaging, Path.Combine(directory, "data"));
            File.Move(partial, target, overwrite: true);
            FileSystem.SyncDirectory(directory);

            progress?.Report(new WorkProgress(state.Rows, state.TotalRows, state.Bytes, state.TotalBytes));
            var total = watch.Elapsed.TotalSeconds;
            return new ExportSummary(target, options.Mode, state.RowsPerTable, state.Bytes, total, state.Beside,
                WriteSeconds: phases[0], CheckSeconds: phases[1] - phases[0], SyncSeconds: total - phases[1]);
        }
        catch
        {
            await state.DisposeWritebackAsync();
            TryDelete(partial);
            TryDeleteDirectory(besideStaging);
            throw;
        }
    }

    // The rows: the catalog's views as the seed's rows, column by column (the verifier compares the same values).

    /// <summary>The seed's TEXT timestamps: ISO-8601 UTC, as the API shows them (trailing zero fractions left out).</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static IEnumerable<(string Column, object? Value)> Values(ProductionView p) =>
    [
        ("id", p.Id), ("title", p.Title), ("artist", p.Artist), ("audio_filename", p.AudioFilename),
        ("audio_duration", p.AudioDuration), ("created_at", Timestamp(p.CreatedAt)), ("updated_at", Timestamp(p.UpdatedAt)),
        ("status", p.Status), ("storyboard_json", p.StoryboardJson), ("settings_json", p.SettingsJson),
    ];

    /// <summary>The asset table's columns: the common ones and the kind's metadata columns (binary_data included).</summary>
    public static IReadOnlyList<string> Columns<TMetadata>() where TMetadata : IAssetMetadata =>
    [
        "id", "filename", "production_id", .. AssetKinds.Of<TMetadata>().Fields.Select(f => f.Name),
        "created_at", "file_size", "binary_data", "mime_type",
    ];

    /// <summary>Every column's value but binary_data, which the writer streams in.</summary>
    public static IEnumerable<(string Column, object? Value)> Values<TMetadata>(AssetView<TMetadata> a) where TMetadata : IAssetMetadata =>
    [
        ("id", a.Id), ("filename", a.Filename), ("production_id", a.ProductionId),
        .. AssetKinds.Of<TMetadata>().Values(a.Metadata).Select(v => (v.Field.Name, v.Value)),
        ("created_at", Timestamp(a.CreatedAt)), ("file_size", a.FileSize), ("mime_type", a.MimeType),
    ];

    /// <summary>
    /// A connection tuned for building a file once, from scratch (memory: see <see cref="ExportOptions.MaxInlineBytes"/>):
    /// <list type="bullet">
    /// <item><c>page_size = 65536</c>: media BLOBs span many overflow pages; the largest page makes those chains
    /// 16× shorter than the default 4 KiB (fewer page headers and pointer reads). Set before the first table.</item>
    /// <item><c>journal_mode = OFF</c>, <c>synchronous = OFF</c>: nobody reads the file until it is finished;
    /// if the build fails the whole temporary file is thrown away, so a rollback journal and a sync per
    /// commit buy nothing. The finished file is flushed to disk once, before the rename.</item>
    /// <item><c>locking_mode = EXCLUSIVE</c>: one writer, no lock traffic.</item>
    /// <item><c>cache_size = -16384</c> (16 MiB): bounded memory whatever the export's size.</item>
    /// <item><c>foreign_keys = ON</c>: a row that points at a missing production fails at once.</item>
    /// </list>
    /// </summary>
    private static SqliteConnection Open(string path, ExportOptions options)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        db.Open();
        if (options.SqliteLengthLimit is { } limit) raw.sqlite3_limit(db.Handle, raw.SQLITE_LIMIT_LENGTH, limit);
        using var pragmas = db.CreateCommand();
        pragmas.CommandText = """
            PRAGMA page_size = 65536;
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA cache_size = -16384;
            PRAGMA foreign_keys = ON;
            """;
        pragmas.ExecuteNonQuery();
        return db;
    }

    private static async Task WriteProductionsAsync(SqliteConnection db, WriteState state, CancellationToken ct)
    {
        await using var insert = db.CreateCommand();
        insert.CommandText = """
            INSERT INTO productions (id, title, artist, audio_filename, audio_duration, created_at, updated_at,
                                     status, storyboard_json, settings_json)
            VALUES ($id, $title, $artist, $audio_filename, $audio_duration, $created_at, $updated_at,
                    $status, $storyboard_json, $settings_json)
            """;
        await foreach (var p in state.Source.Productions(ct))
        {
            Bind(insert, Values(p));
            await insert.ExecuteNonQueryAsync(ct);
            state.Wrote("productions", 0);
        }
    }

    private sealed record WriteAssets(SqliteConnection Db, WriteState State, CancellationToken Ct) : IAssetKindVisitor<Task>
    {
        public Task Visit<TMetadata>() where TMetadata : IAssetMetadata => WriteAssetsAsync<TMetadata>(Db, State, Ct);
    }

    private static async Task WriteAssetsAsync<TMetadata>(SqliteConnection db, WriteState state, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var table = TMetadata.Kind.Table();
        var columns = Columns<TMetadata>();
        // The same row two ways: with room for the bytes (zeroblob, then streamed in), or with binary_data NULL.
        await using var insertInline = Insert(db, table, columns, "zeroblob($file_size)");
        await using var insertBeside = Insert(db, table, columns, "NULL");

        await foreach (var asset in state.Source.Assets<TMetadata>(ct))
        {
            // SQLite's length limit holds for a whole row as well as for one BLOB.
            var values = Values(asset).ToList();
            var fits = asset.FileSize + RecordHeader + values.Sum(v => ValueBytes(v.Value)) <= state.LengthLimit;
            if (state.Options.Mode == ExportMode.Portable && !fits && state.Options.Strict)
            {
                throw new ExportFailedException(
                    $"{table}/{asset.Filename} is {asset.FileSize:N0} bytes, more than SQLite holds in one BLOB " +
                    $"({state.LengthLimit:N0}); without --strict it is written beside the database instead.");
            }
            var inline = state.Options.Mode == ExportMode.Portable && fits &&
                         !(asset.FileSize > state.Options.MaxInlineBytes);
            var insert = inline ? insertInline : insertBeside;
            Bind(insert, values);
            await insert.ExecuteNonQueryAsync(ct);

            await using var content = await state.Blobs.OpenReadAsync(asset.Sha256, ct)
                ?? throw new ExportFailedException($"The bytes of {table}/{asset.Filename} (sha256 {asset.Sha256}) are missing from the blob store.");
            if (inline)
            {
                await using var blob = new SqliteBlob(db, table, "binary_data", asset.Id);
                await CopyAsync(content, blob, state, ct);
            }
            else
            {
                var path = Path.Combine(state.BesideStaging, table, asset.Filename);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
                {
                    await CopyAsync(content, file, state, ct);
                    file.Flush(flushToDisk: true);
                }
                state.Beside.Add($"{table}/{asset.Filename}");
            }
            state.Wrote(table, 0);
        }

        // AUTOINCREMENT's high-water mark: the catalog's, not just the largest id exported.
        await using var sequence = db.CreateCommand();
        sequence.CommandText = """
            INSERT INTO sqlite_sequence (name, seq) SELECT $table, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $table);
            UPDATE sqlite_sequence SET seq = max(seq, $highest) WHERE name = $table;
            """;
        sequence.Parameters.AddWithValue("$table", table);
        sequence.Parameters.AddWithValue("$highest", await state.Source.HighestIssuedIdAsync(TMetadata.Kind, ct));
        await sequence.ExecuteNonQueryAsync(ct);
    }

    /// <summary>What a value takes in a SQLite record: its UTF-8 bytes, or at most 8 for a number.</summary>
    private static long ValueBytes(object? value) => value switch
    {
        string text => System.Text.Encoding.UTF8.GetByteCount(text),
        null => 0,
        _ => 8,
    };

    private static SqliteCommand Insert(SqliteConnection db, string table, IReadOnlyList<string> columns, string binary)
    {
        var command = db.CreateCommand();
        command.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => c == "binary_data" ? binary : "$" + c))})";
        return command;
    }

    private static async Task CopyAsync(Stream from, Stream to, WriteState state, CancellationToken ct)
    {
        int read;
        while ((read = await from.ReadAsync(state.Buffer, ct)) > 0)
        {
            // Written synchronously, as SQLite writes anyway: its BLOB handle has no asynchronous write, so Stream's default
            // handed every chunk to the thread pool (as a Linux FileStream does too), and the idle workers' spinning took CPU
            // from the copy and the flush (13,486 sched_yield calls in one export of the mixed tree).
            to.Write(state.Buffer, 0, read);
            state.Wrote(null, read);
        }
    }

    private static async Task CheckAsync(SqliteConnection db, CancellationToken ct)
    {
        await using var integrity = db.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check";
        var result = (string?)await integrity.ExecuteScalarAsync(ct);
        if (result != "ok") throw new ExportFailedException($"The new file failed SQLite's integrity check: {result}");

        await using var foreignKeys = db.CreateCommand();
        foreignKeys.CommandText = "PRAGMA foreign_key_check";
        await using var reader = await foreignKeys.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
            throw new ExportFailedException($"The new file has a row in {reader.GetString(0)} whose production is not in it.");
    }

    /// <summary>
    /// The disk's share of the work started while the file is still being built: after every <see cref="Every"/> bytes the
    /// file written so far is flushed on a background thread, so the disk writes while the export reads and copies (the mixed
    /// tree's export: 1.70 s → 1.43 s wall). Once the rows are committed the flush runs beside SQLite's checks
    /// (<see cref="StartFlush"/>), and the last one, after SQLite has closed the file, finds next to nothing left. Starting
    /// the writeback with <c>sync_file_range</c> instead, without waiting, was measured twice and gave nothing (BENCHMARKS.md).
    /// A failed flush fails the export: a later flush can succeed although the failed one lost pages.
    /// </summary>
    private sealed class Writeback(string path) : IAsyncDisposable
    {
        private const long Every = 16 * 1024 * 1024;
        private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        private Task _running = Task.CompletedTask;
        private long _next = Every;

        public void Wrote(long bytes)
        {
            if (bytes < _next || !_running.IsCompleted) return;
            _running.GetAwaiter().GetResult(); // a failure surfaces here
            _next = bytes + Every;
            _running = Task.Run(() => _file.Flush(flushToDisk: true));
        }

        /// <summary>Every row is committed (SQLite has written its pages to the file): the flush starts while the checks read.</summary>
        public void StartFlush()
        {
            var before = _running;
            _running = Task.Run(async () =>
            {
                await before;
                _file.Flush(flushToDisk: true);
            });
        }

        /// <summary>The flush that makes the file durable, once SQLite has closed it (after <see cref="StartFlush"/>: nothing left but the disk's cache).</summary>
        public async Task FinishAsync()
        {
            await _running;
            _file.Flush(flushToDisk: true);
            await _file.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _running;
            }
            catch (IOException)
            {
                // The export is failing already, and its file is thrown away.
            }
            await _file.DisposeAsync();
        }
    }

    /// <summary>Hybrid files: the export's own data/images|videos|audio replace those beside the target.</summary>
    private static void ReplaceBesideFiles(string staging, string data)
    {
        RequireOurs(data);
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, ExportMark), "Written by the asset catalog's export: its next export beside this database replaces these folders.\n");
        foreach (var folder in Directory.GetDirectories(staging))
        {
            var destination = Path.Combine(data, Path.GetFileName(folder));
            var old = destination + $".{Guid.NewGuid():N}.old";
            if (Directory.Exists(destination)) Directory.Move(destination, old);
            Directory.Move(folder, destination);
            TryDeleteDirectory(old);
        }
        TryDeleteDirectory(staging);
        FileSystem.SyncDirectory(data);
    }

    /// <summary>The file an export leaves in the <c>data/</c> folder it writes: only folders that carry it are ever replaced.</summary>
    public const string ExportMark = ".catalog-export";

    /// <summary>
    /// Refuses to replace <c>data/images|videos|audio</c> beside the target unless an export wrote them: they may be the
    /// very media folder a user is migrating from.
    /// </summary>
    private static void RequireOurs(string data)
    {
        var existing = AssetKinds.All.Select(k => Path.Combine(data, k.Table)).Where(Directory.Exists).ToList();
        if (existing.Count > 0 && !File.Exists(Path.Combine(data, ExportMark)))
            throw new ExportFailedException(
                $"{existing[0]} exists and was not written by an export, so it is left alone: write the export somewhere else (--out), or move that folder away.");
    }

    private static Task Execute(SqliteConnection db, string sql, CancellationToken ct)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQueryAsync(ct);
    }

    private static void Bind(SqliteCommand command, IEnumerable<(string Column, object? Value)> values)
    {
        command.Parameters.Clear();
        foreach (var (column, value) in values) command.Parameters.AddWithValue("$" + column, value ?? DBNull.Value);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class WriteState(
        ExportSource source, IBlobStore blobs, ExportOptions options, string besideStaging, IProgress<WorkProgress>? progress)
    {
        private long _lastReportedBytes = -1;
        private long _lastReportedRows = -1;

        public ExportSource Source { get; } = source;
        public IBlobStore Blobs { get; } = blobs;
        public ExportOptions Options { get; } = options;
        public string BesideStaging { get; } = besideStaging;
        public byte[] Buffer { get; } = new byte[CopyBufferSize];
        public long LengthLimit { get; set; }
        public long TotalRows { get; } = source.ProductionCount + source.AssetCount;
        public long TotalBytes { get; } = source.AssetBytes;
        public long Rows { get; private set; }
        public long Bytes { get; private set; }
        public Dictionary<string, long> RowsPerTable { get; } = new[] { "productions" }.Concat(AssetKinds.All.Select(k => k.Table)).ToDictionary(t => t, _ => 0L);
        public List<string> Beside { get; } = [];
        public Writeback? Writeback { get; set; }

        public async Task DisposeWritebackAsync()
        {
            if (Writeback is not null) await Writeback.DisposeAsync();
        }

        public void Wrote(string? table, long bytes)
        {
            if (table is not null)
            {
                RowsPerTable[table]++;
                Rows++;
            }
            Bytes += bytes;
            Writeback?.Wrote(Bytes);
            // Report at most every 1% of the bytes or 1,000 rows.
            if (progress is null) return;
            if (Bytes - _lastReportedBytes >= Math.Max(1, TotalBytes / 100) || Rows - _lastReportedRows >= 1000)
            {
                _lastReportedBytes = Bytes;
                _lastReportedRows = Rows;
                progress.Report(new WorkProgress(Rows, TotalRows, Bytes, TotalBytes));
            }
        }
    }
}
