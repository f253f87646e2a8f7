using System.Diagnostics;
using Catalog.Domain.Assets;
using Catalog.Exporter;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Marten;
using Microsoft.Data.Sqlite;

namespace Catalog.Importer;

/// <summary>
/// A few tiny files of each kind the catalog reads (PNG, JPEG, WebP, GIF; MP4, WebM, QuickTime; WAV, MP3, Ogg, FLAC, M4A) and a
/// production document whose clip id (<c>sample</c>) puts every sample into it, built into this assembly, rehearsed when the
/// service starts as a folder import (<see cref="FileSystemImport.RehearseAsync"/>) and as the import of an <c>assets.db</c>
/// holding the same files and production (<see cref="AssetsDbImport.RehearseAsync"/>): both imports' paths (the readers of
/// each format, SQLite's BLOB reads, the productions, the registration decisions, the files put into a production, the
/// rows' JSON) are compiled then, not in the middle of a user's first import.
/// </summary>
public static class ImportSamples
{
    private const string Prefix = "Catalog.Importer.Samples/";

    private const string ProductionId = "prod_import_samples";

    /// <summary>
    /// Lays the samples out as an import folder in a temporary folder, rehearses its import, writes them into an
    /// <c>assets.db</c> there and rehearses its import, and removes the folder.
    /// </summary>
    /// <returns>Both rehearsals' reports and how long the two took.</returns>
    public static async Task<(ImportReport Folder, ImportReport Database, TimeSpan Took)> RehearseAsync(IDocumentStore store, IBlobStore blobs,
        MediaProbe probe, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("catalog-import-samples-");
        try
        {
            var assembly = typeof(ImportSamples).Assembly;
            var samples = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                .Select(name => name[Prefix.Length..]).ToList(); // as laid out in an import folder: data/images/…
            foreach (var sample in samples)
            {
                var path = Path.Combine(root.FullName, sample);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using var source = assembly.GetManifestResourceStream(Prefix + sample)!;
                await using var target = File.Create(path);
                await source.CopyToAsync(target, ct);
            }
            var folder = await FileSystemImport.RehearseAsync(store, blobs, probe, root.FullName, ct);
            var database = Path.Combine(root.FullName, "samples.db");
            await WriteDatabaseAsync(database, root.FullName, samples, ct);
            return (folder, await AssetsDbImport.RehearseAsync(store, blobs, database, ct), watch.Elapsed);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>The samples as an <c>assets.db</c> in the seed's schema: the production, and each file's row with its bytes as a BLOB
    /// (written through SQLite's incremental BLOB I/O, as an export writes them).</summary>
    private static async Task WriteDatabaseAsync(string path, string root, IReadOnlyList<string> samples, CancellationToken ct)
    {
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await db.OpenAsync(ct);
        await using var transaction = db.BeginTransaction();
        var createdAt = AssetsDbWriter.Timestamp(DateTimeOffset.UnixEpoch);
        await using (var command = db.CreateCommand())
        {
            command.CommandText = SeedSchema.Ddl
                + ";insert into productions (id, title, created_at, updated_at) values ($id, 'Import samples', $at, $at)";
            command.Parameters.AddWithValue("$id", ProductionId);
            command.Parameters.AddWithValue("$at", createdAt);
            await command.ExecuteNonQueryAsync(ct);
        }
        foreach (var sample in samples)
        {
            // data/{table}/{file}: the kind whose table it is (the production document is in none).
            if (AssetKinds.All.FirstOrDefault(k => Path.GetDirectoryName(sample) == Path.Combine("data", k.Table)) is not { } kind) continue;
            var file = new FileInfo(Path.Combine(root, sample));
            long rowId;
            await using (var command = db.CreateCommand())
            {
                command.CommandText = $"""
                    insert into {kind.Table} (filename, production_id, {kind.TypeField}, created_at, file_size, binary_data)
                    values ($filename, $production, $type, $at, $size, zeroblob($size));
                    select last_insert_rowid()
                    """;
                command.Parameters.AddWithValue("$filename", file.Name);
                command.Parameters.AddWithValue("$production", ProductionId);
                command.Parameters.AddWithValue("$type", kind.WellKnownTypes[0]);
                command.Parameters.AddWithValue("$at", createdAt);
                command.Parameters.AddWithValue("$size", file.Length);
                rowId = (long)(await command.ExecuteScalarAsync(ct))!;
            }
            await using var blob = new SqliteBlob(db, kind.Table, "binary_data", rowId);
            await using var source = file.OpenRead();
            await source.CopyToAsync(blob, ct);
        }
        await transaction.CommitAsync(ct);
    }
}
