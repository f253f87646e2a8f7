using System.Globalization;
using System.Security.Cryptography;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Microsoft.Data.Sqlite;

namespace Catalog.Exporter;

/// <param name="Problems">Everything that differs; empty when the file matches.</param>
/// <param name="Rows">Rows found per table.</param>
/// <param name="HashedBytes">Media bytes read and hashed (inline and beside).</param>
public sealed record VerifyReport(IReadOnlyList<string> Problems, IReadOnlyDictionary<string, long> Rows, long HashedBytes)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks an assets.db against the catalog (or what an export of it would hold: one production, an
/// instant): the seed's schema exactly, SQLite's integrity, the same rows with the same values, and every
/// binary's SHA-256 — inline, or in the file beside the database for hybrid rows (data/{table}/{filename}).
/// </summary>
public static class AssetsDbVerifier
{
    private const int MaxProblems = 100;

    public static async Task<VerifyReport> VerifyAsync(string path, ExportSource expected, CancellationToken ct)
    {
        var problems = new List<string>();
        var rows = new Dictionary<string, long>();
        long hashed = 0;
        if (!File.Exists(path)) return new VerifyReport([$"{path} does not exist."], rows, 0);

        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await db.OpenAsync(ct);

        problems.AddRange(SeedSchemaCheck.Differences(db).Select(d => "schema " + d));
        if (problems.Count > 0) return new VerifyReport(problems, rows, 0);
        if (Scalar(db, "pragma integrity_check") is var integrity && integrity != "ok") problems.Add($"integrity_check: {integrity}");
        if (Scalar(db, "select count(*) from pragma_foreign_key_check") is var orphans && orphans != "0") problems.Add($"{orphans} rows point at a missing production");

        var besideRoot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "data");
        rows["productions"] = await CompareAsync(db, "productions", expected.Productions(ct), p => p.Id, AssetsDbWriter.Values, problems, ct);
        foreach (var kind in AssetKinds.All)
        {
            var count = await kind.Accept(new CompareAssets(db, expected, besideRoot, problems, ct));
            rows[count.Table] = count.Rows;
            hashed += count.Bytes;
        }
        return new VerifyReport(problems.Take(MaxProblems).ToList(), rows, hashed);
    }

    private sealed record CompareAssets(SqliteConnection Db, ExportSource Expected, string BesideRoot, List<string> Problems, CancellationToken Ct)
        : IAssetKindVisitor<Task<(string Table, long Rows, long Bytes)>>
    {
        public Task<(string Table, long Rows, long Bytes)> Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            CompareAssetsAsync<TMetadata>(Db, Expected, BesideRoot, Problems, Ct);
    }

    private static async Task<(string Table, long Rows, long Bytes)> CompareAssetsAsync<TMetadata>(
        SqliteConnection db, ExportSource expected, string besideRoot, List<string> problems, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var table = TMetadata.Kind.Table();
        long bytes = 0;
        var assets = new List<AssetView<TMetadata>>();
        var rows = await CompareAsync(db, table, Collect(expected.Assets<TMetadata>(ct), assets), a => a.Id, AssetsDbWriter.Values, problems, ct);

        foreach (var asset in assets)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Stream? content = null;
            using (var command = db.CreateCommand())
            {
                // typeof() is answered from the row's header; "binary_data is null" would read the whole value.
                command.CommandText = $"select typeof(binary_data) = 'null' from {table} where id = $id";
                command.Parameters.AddWithValue("$id", asset.Id);
                if (await command.ExecuteScalarAsync(ct) is not long isNull) continue; // missing row: already reported
                var beside = Path.Combine(besideRoot, table, asset.Filename);
                if (isNull == 0) content = new SqliteBlob(db, table, "binary_data", asset.Id, readOnly: true);
                else if (File.Exists(beside)) content = File.OpenRead(beside);
                else
                {
                    problems.Add($"{table} {asset.Id}: binary_data is NULL and {beside} does not exist");
                    continue;
                }
            }
            await using (content)
            {
                var buffer = new byte[1024 * 1024];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    bytes += read;
                }
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (sha != asset.Sha256) problems.Add($"{table} {asset.Id}: the bytes' sha256 is {sha}, the catalog's {asset.Sha256}");
        }
        return (table, rows, bytes);
    }

    /// <summary>Every expected row is in the file with the same values, and the file has no other rows.</summary>
    private static async Task<long> CompareAsync<T, TKey>(SqliteConnection db, string table, IAsyncEnumerable<T> expected,
        Func<T, TKey> key, Func<T, IEnumerable<(string Column, object? Value)>> values, List<string> problems, CancellationToken ct)
    {
        long count = 0;
        await foreach (var row in expected.WithCancellation(ct))
        {
            count++;
            var want = values(row).ToList();
            using var command = db.CreateCommand();
            command.CommandText = $"select {string.Join(", ", want.Select(v => v.Column))} from {table} where id = $id";
            command.Parameters.AddWithValue("$id", key(row));
            using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                problems.Add($"{table} {key(row)}: missing");
                continue;
            }
            for (var i = 0; i < want.Count; i++)
            {
                var (have, expect) = (Text(reader.GetValue(i)), Text(want[i].Value));
                if (have != expect) problems.Add($"{table} {key(row)}: {want[i].Column} is {have ?? "NULL"}, the catalog's {expect ?? "NULL"}");
            }
        }
        var inFile = long.Parse(Scalar(db, $"select count(*) from {table}")!, CultureInfo.InvariantCulture);
        if (inFile != count) problems.Add($"{table}: {inFile} rows in the file, {count} in the catalog");
        return inFile;
    }

    private static async IAsyncEnumerable<T> Collect<T>(IAsyncEnumerable<T> rows, List<T> into)
    {
        await foreach (var row in rows)
        {
            into.Add(row);
            yield return row;
        }
    }

    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string? Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Text(command.ExecuteScalar());
    }
}
