using Catalog.Domain.Assets;
using Catalog.Exporter;
using Catalog.Importer;
using Catalog.Projections.Views;
using Catalog.Testing;

namespace Catalog.Importer.Tests;

/// <summary>
/// Data from an application of the seed's design — types and statuses outside the seed's comments, other spellings,
/// zeros for unknowns, every media format — comes in whole by every way in and goes out as it came.
/// </summary>
public sealed class ImportingRealWorldData(CatalogFixture fixture) : ImportTest(fixture)
{
    [Fact]
    public async Task an_assets_db_made_by_sqlite3_imports_with_nothing_failed_and_exports_back_row_for_row_and_byte_for_byte()
    {
        var source = await RealWorldAssetsDb.CreateAsync(Source["app"]);

        var report = await AssetsDbImport.RunAsync(Catalog.Store, Catalog.Blobs, long.MaxValue, source, "importer", null, default);

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal((12, 0, 3, 0), (report.Counts[ImportOutcome.Registered], report.Counts[ImportOutcome.Failed], report.ProductionsCreated,
            report.Renumbered));
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        foreach (var table in RealWorldAssetsDb.Tables)
            Assert.Equal(RealWorldAssetsDb.Rows(source, table), RealWorldAssetsDb.Rows(Out["assets.db"], table));

        // The catalog reads them as they are: a status from elsewhere, the types as they came, listed and counted.
        await using var session = Catalog.Store.QuerySession();
        Assert.Equal("archived", (await session.LoadAsync<ProductionView>("prod_mv1"))!.Status);
        Assert.Equal(RealWorldAssetsDb.AudioTypes.Order(), (await All<AudioMetadata>()).Select(a => a.Metadata.AudioType).Order());
    }

    [Fact]
    public async Task a_media_folder_takes_any_type_per_kind_and_reads_every_format()
    {
        foreach (var fixture in TestMedia.Fixtures)
            PutFixture($"data/{(fixture.StartsWith("still") ? "images" : fixture.StartsWith("clip") ? "videos" : "audio")}/{fixture}", fixture);

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path,
            Types: new Dictionary<string, string> { ["image"] = "storyboard", ["video"] = "lyric video", ["audio"] = "stem" }));

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(TestMedia.Fixtures.Count, report.Counts[ImportOutcome.Registered]);
        Assert.All(await All<ImageMetadata>(), i => Assert.Equal("storyboard", i.Metadata.ImageType));
        Assert.All(await All<VideoMetadata>(), v => Assert.Equal("lyric video", v.Metadata.VideoType));
        Assert.All(await All<AudioMetadata>(), a => Assert.Equal("stem", a.Metadata.AudioType));
        Assert.Equal("320x240", (await One<ImageMetadata>("still-320x240.jpg")).Metadata.Size);

        await ExportAsync(new ExportOptions(Out["assets.db"]));
        using var db = OpenRead(Out["assets.db"]);
        Assert.Equal(["lyric video"], Rows(db, "select distinct video_type from videos").Select(r => (string)r[0]!));
        Assert.Equal(["stem"], Rows(db, "select distinct audio_type from audio").Select(r => (string)r[0]!));
    }
}
