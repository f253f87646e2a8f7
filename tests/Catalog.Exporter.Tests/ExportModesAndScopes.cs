using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Testing;

namespace Catalog.Exporter.Tests;

public sealed class ExportModesAndScopes(CatalogFixture fixture) : CatalogTest(fixture)
{
    [Fact]
    public async Task hybrid_leaves_binary_data_null_and_writes_the_files_beside()
    {
        var image = await Image("frame one.png");
        var video = await Video("clip.mp4");

        var summary = await ExportAsync(new ExportOptions(Out["assets.db"], ExportMode.Hybrid));

        using (var db = OpenRead(Out["assets.db"]))
        {
            Assert.Equal(0L, Scalar(db, "select count(*) from images where binary_data is not null"));
            Assert.Equal(0L, Scalar(db, "select count(*) from videos where binary_data is not null"));
            Assert.Equal((long)TestMedia.Mp4().Length, Scalar(db, $"select file_size from videos where id = {video}"));
        }
        Assert.Equal(TestMedia.Png(), await File.ReadAllBytesAsync(Out["data/images/frame one.png"]));
        Assert.Equal(TestMedia.Mp4(), await File.ReadAllBytesAsync(Out["data/videos/clip.mp4"]));
        Assert.Equal(["images/frame one.png", "videos/clip.mp4"], summary.Beside.Order());
        Assert.True((await VerifyAsync(Out["assets.db"])).Ok);
        Assert.True(image > 0);
    }

    [Fact]
    public async Task a_hybrid_export_never_replaces_media_folders_it_did_not_write()
    {
        await Image("frame.png");
        Directory.CreateDirectory(Out["data/images"]);
        await File.WriteAllTextAsync(Out["data/images/mine.png"], "the user's own file, maybe the folder being migrated");

        var refused = await Assert.ThrowsAsync<ExportFailedException>(() => ExportAsync(new ExportOptions(Out["assets.db"], ExportMode.Hybrid)));

        Assert.Contains("was not written by an export", refused.Message);
        Assert.True(File.Exists(Out["data/images/mine.png"]));
        Assert.False(File.Exists(Out["assets.db"]));

        // Folders an export wrote are its to replace the next time.
        await ExportAsync(new ExportOptions(Out["mine/assets.db"], ExportMode.Hybrid));
        await Image("second.png", seed: 2);
        await ExportAsync(new ExportOptions(Out["mine/assets.db"], ExportMode.Hybrid));
        Assert.True(File.Exists(Out["mine/data/images/second.png"]));
    }

    [Fact]
    public async Task one_production_is_that_production_and_its_assets()
    {
        await Catalog.CreateProductionAsync("prod_a");
        await Catalog.CreateProductionAsync("prod_b");
        var mine = await Image("a.png", "prod_a", seed: 1);
        await Image("b.png", "prod_b", seed: 2);
        await Image("loose.png", seed: 3);
        var audio = await Audio("a.wav", "prod_a");

        await ExportAsync(new ExportOptions(Out["assets.db"], ProductionId: "prod_a"));

        using var db = OpenRead(Out["assets.db"]);
        Assert.Equal(["prod_a"], Rows(db, "select id from productions").Select(r => r[0]));
        Assert.Equal([mine], Rows(db, "select id from images").Select(r => r[0]));
        Assert.Equal([audio], Rows(db, "select id from audio").Select(r => r[0]));
        Assert.True((await VerifyAsync(Out["assets.db"], "prod_a")).Ok);
    }

    [Fact]
    public async Task the_totals_an_export_announces_are_the_rows_and_bytes_it_writes()
    {
        await Catalog.CreateProductionAsync("prod_a");
        await Catalog.CreateProductionAsync("prod_b");
        await Image("a.png", "prod_a", seed: 1);
        await Image("b.png", "prod_b", seed: 2);
        await Image("loose.png", seed: 3);
        await Audio("a.wav", "prod_a");
        await Video("a.mp4", "prod_a");

        foreach (var (production, productions, assets) in new[] { ((string?)null, 2L, 5L), ("prod_a", 1L, 3L) })
        {
            var file = Out[$"{production ?? "all"}.db"];
            await ExportAsync(new ExportOptions(file, ProductionId: production));
            await using var source = await ExportSource.OpenAsync(Catalog.Store, production, null, default);

            using var db = OpenRead(file);
            const string Assets = "select file_size from images union all select file_size from videos union all select file_size from audio";
            Assert.Equal((productions, assets), (source.ProductionCount, source.AssetCount));
            Assert.Equal((long)Scalar(db, "select count(*) from productions")!, source.ProductionCount);
            Assert.Equal((long)Scalar(db, $"select count(*) from ({Assets})")!, source.AssetCount);
            Assert.Equal((long)Scalar(db, $"select sum(file_size) from ({Assets})")!, source.AssetBytes);
        }
    }

    [Fact]
    public async Task an_unknown_production_is_a_clear_failure_and_writes_nothing()
    {
        var error = await Assert.ThrowsAsync<ExportFailedException>(() => ExportAsync(new ExportOptions(Out["assets.db"], ProductionId: "prod_nope")));
        Assert.Contains("prod_nope", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Out.Path));
    }

    [Fact]
    public async Task as_of_an_instant_gives_the_catalog_as_it_was_then()
    {
        await Catalog.CreateProductionAsync("prod_t", "First title");
        var kept = await Image("kept.png", "prod_t", seed: 1);
        var later = await Image("later-deleted.png", "prod_t", seed: 2);
        var before = await Catalog.LatestEventAtAsync($"image:{later}");

        await Catalog.SendAsync(new ChangeProductionDetails("prod_t", "Second title", null));
        await Catalog.SendAsync(new DeleteAsset<ImageMetadata>(later));
        await Catalog.SendAsync(new CorrectAssetMetadata<ImageMetadata>(kept, new Dictionary<string, object?> { ["prompt"] = "corrected" }));
        await Image("newer.png", seed: 3);

        await ExportAsync(new ExportOptions(Out["then.db"], AsOf: before));
        await ExportAsync(new ExportOptions(Out["now.db"]));

        using (var then = OpenRead(Out["then.db"]))
        {
            Assert.Equal("First title", Scalar(then, "select title from productions"));
            Assert.Equal([kept, later], Rows(then, "select id from images order by id").Select(r => r[0]));
            Assert.Equal("Van Williams", Scalar(then, $"select prompt from images where id = {kept}"));
        }
        using (var now = OpenRead(Out["now.db"]))
        {
            Assert.Equal("Second title", Scalar(now, "select title from productions"));
            Assert.Equal(2L, Scalar(now, "select count(*) from images"));
            Assert.Equal("corrected", Scalar(now, $"select prompt from images where id = {kept}"));
        }
        Assert.True((await VerifyAsync(Out["then.db"], asOf: before)).Ok);
        Assert.False((await VerifyAsync(Out["then.db"])).Ok, "the past is not the present");
    }

    [Fact]
    public async Task as_of_before_a_production_existed_is_a_clear_failure()
    {
        var early = DateTimeOffset.UtcNow.AddDays(-1);
        await Catalog.CreateProductionAsync("prod_new");
        var error = await Assert.ThrowsAsync<ExportFailedException>(() =>
            ExportAsync(new ExportOptions(Out["assets.db"], ProductionId: "prod_new", AsOf: early)));
        Assert.Contains("no production 'prod_new' at", error.Message);
    }
}
