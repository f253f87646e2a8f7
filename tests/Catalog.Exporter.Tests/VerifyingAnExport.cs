using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Exporter.Tests;

public sealed class VerifyingAnExport(CatalogFixture fixture) : CatalogTest(fixture)
{
    private async Task<(long Image, long Video)> ExportedCatalog()
    {
        await Catalog.CreateProductionAsync("prod_v");
        var image = await Image("i.png", "prod_v");
        var video = await Video("v.mp4");
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        return (image, video);
    }

    private void Change(string sql)
    {
        using var db = new SqliteConnection($"Data Source={Out["assets.db"]};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task a_fresh_export_verifies()
    {
        await ExportedCatalog();
        var report = await VerifyAsync(Out["assets.db"]);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(1, report.Rows["images"]);
        Assert.True(report.HashedBytes > 0);
    }

    [Fact]
    public async Task a_changed_byte_is_found()
    {
        var (_, video) = await ExportedCatalog();
        using (var db = new SqliteConnection($"Data Source={Out["assets.db"]};Pooling=False"))
        {
            db.Open();
            using var blob = new SqliteBlob(db, "videos", "binary_data", video);
            blob.Position = 1000;
            blob.WriteByte(0x42);
        }
        var report = await VerifyAsync(Out["assets.db"]);
        Assert.Contains(report.Problems, p => p.StartsWith($"videos {video}: the bytes' sha256 is"));
    }

    [Fact]
    public async Task changed_missing_and_extra_rows_are_found()
    {
        var (image, _) = await ExportedCatalog();
        Change($"update images set prompt = 'edited' where id = {image}");
        Change("delete from videos");
        Change("insert into audio (filename, audio_type, created_at) values ('stray.wav', 'original', '2026-01-01T00:00:00Z')");

        var problems = (await VerifyAsync(Out["assets.db"])).Problems;

        Assert.Contains($"images {image}: prompt is edited, the catalog's Van Williams", problems);
        Assert.Contains(problems, p => p.EndsWith(": missing") && p.StartsWith("videos "));
        Assert.Contains("audio: 1 rows in the file, 0 in the catalog", problems);
    }

    [Fact]
    public async Task a_schema_that_is_not_the_seeds_is_found()
    {
        await ExportedCatalog();
        Change("create index extra_index on images(prompt)");
        Assert.Contains((await VerifyAsync(Out["assets.db"])).Problems, p => p.StartsWith("schema extra:") && p.Contains("extra_index"));
    }
}
