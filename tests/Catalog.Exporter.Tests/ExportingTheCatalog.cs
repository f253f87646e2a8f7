using System.Security.Cryptography;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Testing;

namespace Catalog.Exporter.Tests;

public sealed class ExportingTheCatalog(CatalogFixture fixture) : CatalogTest(fixture)
{
    private static readonly DateTimeOffset Made = new(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero);

    [Fact]
    public async Task the_file_has_exactly_the_seeds_schema()
    {
        await Image("a.png");
        await ExportAsync(new ExportOptions(Out["assets.db"]));

        using var db = OpenRead(Out["assets.db"]);
        Assert.Empty(SeedSchemaCheck.Differences(db));
        Assert.Equal(["audio", "images", "productions", "sqlite_sequence", "videos"],
            Rows(db, "select name from sqlite_master where type = 'table' order by name").Select(r => (string)r[0]!));
        Assert.Equal(8L, Scalar(db, "select count(*) from sqlite_master where type = 'index' and name like 'idx_%'"));
    }

    [Fact]
    public async Task every_live_row_has_the_catalogs_ids_values_and_exact_bytes()
    {
        await Catalog.CreateProductionAsync("prod_live", "Night Drive", "Van Williams");
        await Catalog.SendAsync(new ReplaceStoryboard("prod_live", """{"scenes": [1]}"""));
        await Catalog.SendAsync(new ReplaceSettings("prod_live", """{"seed": 7}"""));
        await Catalog.SendAsync(new AttachProductionAudio("prod_live", null, "song.wav", 181.5));
        await Catalog.SendAsync(new ChangeProductionStatus("prod_live", "generating"));
        var image = await Catalog.RegisterAsync(new ImageMetadata("reference", "c9", "neon", "64x36", "img2img", 4.5, 12), TestMedia.Png(seed: 4),
            "image/png", "frame.png", "prod_live", Made);
        var video = await Video("clip.mp4", "prod_live");
        var audio = await Audio("loose.wav");
        var deleted = await Image("deleted.png", seed: 5);
        await Catalog.SendAsync(new DeleteAsset<ImageMetadata>(deleted));
        await Catalog.CreateProductionAsync("prod_gone");
        await Image("cascaded.png", "prod_gone", seed: 6);
        await Catalog.SendAsync(new DeleteProduction("prod_gone"));

        var summary = await ExportAsync(new ExportOptions(Out["assets.db"]));

        Assert.Equal(1, summary.Rows["productions"]);
        Assert.Equal(1, summary.Rows["images"]);
        Assert.Equal(TestMedia.Png(seed: 4).Length + TestMedia.Mp4().Length + TestMedia.Wav().Length, summary.Bytes);
        using var db = OpenRead(Out["assets.db"]);
        var production = Rows(db, "select * from productions").Single();
        Assert.Equal(["prod_live", "Night Drive", "Van Williams", "song.wav", 181.5], production[..5]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", (string)production[5]!);
        Assert.True(string.CompareOrdinal((string)production[6]!, (string)production[5]!) > 0, "updated_at after created_at");
        Assert.Equal(["generating", """{"scenes": [1]}""", """{"seed": 7}"""], production[7..]);

        var imageRow = Rows(db, "select id, filename, production_id, clip_id, image_type, prompt, size, mode, cfg, steps, created_at, file_size, mime_type from images").Single();
        Assert.Equal([image, "frame.png", "prod_live", "c9", "reference", "neon", "64x36", "img2img", 4.5, 12L, "2025-06-07T08:09:10.123Z",
            (long)TestMedia.Png(seed: 4).Length, "image/png"], imageRow);
        var videoRow = Rows(db, "select id, video_type, duration, resolution, fps, source_image_filename, prompt, camera_control, mime_type from videos").Single();
        Assert.Equal([video, "clip", 3.0, "720p", 24L, "frame.png", "walk", "pan left", "video/mp4"], videoRow);
        var audioRow = Rows(db, "select id, production_id, audio_type, duration, sample_rate, mime_type from audio").Single();
        Assert.Equal([audio, null, "original", 0.5, 48000L, "audio/wav"], audioRow);

        Assert.Equal(TestMedia.Sha256(TestMedia.Png(seed: 4)), Sha(db, "images", image));
        Assert.Equal(TestMedia.Sha256(TestMedia.Mp4()), Sha(db, "videos", video));
        Assert.Equal(TestMedia.Sha256(TestMedia.Wav()), Sha(db, "audio", audio));
        Assert.Equal("ok", Scalar(db, "pragma integrity_check"));
        Assert.Empty(Rows(db, "pragma foreign_key_check"));
    }

    [Fact]
    public async Task sqlite_sequence_carries_the_highest_id_the_catalog_handed_out()
    {
        var first = await Image("1.png", seed: 1);
        var second = await Image("2.png", seed: 2);
        await Catalog.SendAsync(new DeleteAsset<ImageMetadata>(second));
        var audio = await Audio("a.wav");
        await Catalog.SendAsync(new DeleteAsset<AudioMetadata>(audio));

        await ExportAsync(new ExportOptions(Out["assets.db"]));

        using var db = OpenRead(Out["assets.db"]);
        Assert.Equal(second, Scalar(db, "select seq from sqlite_sequence where name = 'images'"));
        Assert.Equal(audio, Scalar(db, "select seq from sqlite_sequence where name = 'audio'"));
        Assert.Equal([first], Rows(db, "select id from images").Select(r => r[0]));
    }

    [Fact]
    public async Task an_empty_catalog_gives_the_empty_schema()
    {
        var summary = await ExportAsync(new ExportOptions(Out["assets.db"]));
        Assert.All(summary.Rows.Values, count => Assert.Equal(0, count));
        using var db = OpenRead(Out["assets.db"]);
        Assert.Empty(SeedSchemaCheck.Differences(db));
    }

    internal static string Sha(Microsoft.Data.Sqlite.SqliteConnection db, string table, long id)
    {
        using var blob = new Microsoft.Data.Sqlite.SqliteBlob(db, table, "binary_data", id, readOnly: true);
        return Convert.ToHexStringLower(SHA256.HashData(blob));
    }
}
