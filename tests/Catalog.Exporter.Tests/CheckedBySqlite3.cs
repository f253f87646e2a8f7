using System.Diagnostics;
using System.Security.Cryptography;
using Catalog.Domain.Assets;
using Catalog.Testing;

namespace Catalog.Exporter.Tests;

/// <summary>
/// An export judged by an oracle that is not the project's code: the <c>sqlite3</c> command-line shell. Its
/// <c>.schema</c> of the export must equal its <c>.schema</c> of a database it made itself from the seed's DDL
/// (copied from the original design into <c>tests/media/seed-schema.sql</c>), and the BLOBs it writes out with
/// <c>writefile()</c> must hash to the bytes that were registered.
/// </summary>
public sealed class CheckedBySqlite3(CatalogFixture fixture) : CatalogTest(fixture)
{
    [Fact]
    public async Task the_schema_is_the_seeds_as_sqlite3_prints_it()
    {
        await Image("a.png");
        await ExportAsync(new ExportOptions(Out["assets.db"]));

        await Sqlite3(Out["reference.db"], $".read '{TestMedia.Fixture("seed-schema.sql")}'");
        var expected = await Sqlite3(Out["reference.db"], ".schema");
        var actual = await Sqlite3(Out["assets.db"], ".schema");

        Assert.Contains("CREATE TABLE images (", actual);
        Assert.Equal(expected, actual);
        Assert.Equal("ok", (await Sqlite3(Out["assets.db"], "pragma integrity_check;")).Trim());
        Assert.Equal("", (await Sqlite3(Out["assets.db"], "pragma foreign_key_check;")).Trim());
    }

    [Fact]
    public async Task every_blob_written_out_by_sqlite3_hashes_to_the_registered_bytes()
    {
        await Catalog.CreateProductionAsync("prod_1");
        var registered = new Dictionary<string, byte[]>
        {
            [$"images/{await Image("a.png", "prod_1", seed: 1)}"] = TestMedia.Png(seed: 1),
            [$"images/{await Image("b.png", seed: 2)}"] = TestMedia.Png(seed: 2),
            [$"videos/{await Video("c.mp4", "prod_1")}"] = TestMedia.Mp4(),
            [$"audio/{await Audio("d.wav")}"] = TestMedia.Wav(),
        };
        await ExportAsync(new ExportOptions(Out["assets.db"]));

        Directory.CreateDirectory(Out["blobs"]);
        foreach (var kind in AssetKinds.All)
        {
            await Sqlite3(Out["assets.db"],
                $"select writefile('{Out["blobs"]}/{kind.Table}-' || id, binary_data) from {kind.Table};");
        }
        var written = Directory.GetFiles(Out["blobs"]).ToDictionary(f => Path.GetFileName(f).Replace('-', '/'), f => Sha(File.ReadAllBytes(f)));
        Assert.Equal(registered.ToDictionary(r => r.Key, r => Sha(r.Value)).OrderBy(r => r.Key), written.OrderBy(r => r.Key));

        var sizes = await Sqlite3(Out["assets.db"], "select file_size = length(binary_data) from images union all select file_size = length(binary_data) from videos union all select file_size = length(binary_data) from audio;");
        Assert.All(sizes.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Equal("1", line));
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Runs the sqlite3 shell on a database with one command; returns what it printed (it must succeed).</summary>
    private static async Task<string> Sqlite3(string database, string command)
    {
        var start = new ProcessStartInfo("sqlite3", [database, command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && error.Length == 0, $"sqlite3 {command}: exit {process.ExitCode}: {error}");
        return (await output).ReplaceLineEndings("\n");
    }
}
