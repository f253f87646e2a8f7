using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Importer;
using Catalog.Projections;
using Catalog.Projections.Views;
using Catalog.Testing;
using Marten;

namespace Catalog.Importer.Tests;

/// <summary>The rehearsal the service runs at start (<see cref="ImportSamples"/>): the whole import's path, nothing kept.</summary>
public sealed class RehearsingAnImport(CatalogFixture fixture) : ImportTest(fixture)
{
    [Fact]
    public async Task every_sample_is_read_and_decided_and_nothing_is_kept_no_id_no_blob_no_event()
    {
        Put("data/images/before.png", TestMedia.Png(64, 48));
        PutFixture("data/videos/before.mov", "clip-360p-30fps-2s.mov");
        PutFixture("data/audio/before.mp3", "tone-32000-2s.mp3");
        Assert.Equal(3, (await ImportFolderAsync()).Counts.GetValueOrDefault(ImportOutcome.Registered));
        var before = await StateAsync();
        var temporary = TemporaryFolders();

        var (report, _) = await ImportSamples.RehearseAsync(Catalog.Store, Catalog.Blobs, Probe, CancellationToken.None);

        // Every sample was read, probed and decided as an import decides it: 12 files of 12 formats, one production.
        Assert.Equal(12, report.Counts.GetValueOrDefault(ImportOutcome.Registered));
        Assert.Equal(12, report.Counts.Values.Sum());
        Assert.Equal(1, report.ProductionsCreated);
        // ...and nothing of it is in the catalog: no event, stream, view, production or blob, no temporary folder left.
        Assert.Equal(before, await StateAsync());
        Assert.Equal(temporary, TemporaryFolders());

        // No id was drawn: the next asset of each kind gets the number after the last one.
        Put("data/images/after.png", TestMedia.Png(32, 24));
        PutFixture("data/videos/after.webm", "clip-480p-25fps-2s.webm");
        PutFixture("data/audio/after.flac", "tone-44100-2s.flac");
        File.Delete(Source["data/images/before.png"]);
        File.Delete(Source["data/videos/before.mov"]);
        File.Delete(Source["data/audio/before.mp3"]);
        Assert.Equal(3, (await ImportFolderAsync()).Counts.GetValueOrDefault(ImportOutcome.Registered));
        Assert.Equal(2, (await One<ImageMetadata>("after.png")).Id);
        Assert.Equal(2, (await One<VideoMetadata>("after.webm")).Id);
        Assert.Equal(2, (await One<AudioMetadata>("after.flac")).Id);
    }

    [Fact]
    public async Task a_catalog_already_holding_a_samples_filename_or_production_keeps_them_untouched()
    {
        Put("data/images/sample-still.png", TestMedia.Png(80, 60)); // other bytes than the built-in sample's
        PutText("data/productions/prod_import_samples.json", """{ "id": "prod_import_samples", "title": "Mine" }""");
        Assert.Equal(1, (await ImportFolderAsync()).Counts.GetValueOrDefault(ImportOutcome.Registered));
        var before = await StateAsync();

        var (report, _) = await ImportSamples.RehearseAsync(Catalog.Store, Catalog.Blobs, Probe, CancellationToken.None);

        Assert.Equal(1, report.Counts.GetValueOrDefault(ImportOutcome.Conflict));
        Assert.Equal(11, report.Counts.GetValueOrDefault(ImportOutcome.Registered));
        Assert.Equal(1, report.ProductionsSkipped);
        Assert.Equal(before, await StateAsync());
        await using var session = Catalog.Store.QuerySession();
        Assert.Equal("Mine", (await session.LoadAsync<ProductionView>("prod_import_samples"))!.Title);
    }

    private static string TemporaryFolders() =>
        string.Join(",", Directory.EnumerateDirectories(Path.GetTempPath(), "catalog-import-samples-*").Order(StringComparer.Ordinal));

    /// <summary>What a rehearsal must leave as it found it: rows of every table it decides for, and the blob store's files.</summary>
    private async Task<string> StateAsync()
    {
        await using var session = Catalog.Store.QuerySession();
        var rows = await session.QueryAsync<long>($"""
            select (select count(*) from {CatalogStore.SchemaName}.mt_events) * 1000 + (select count(*) from {CatalogStore.SchemaName}.mt_streams)
            """);
        var views = await session.Query<AssetView<ImageMetadata>>().CountAsync() + await session.Query<AssetView<VideoMetadata>>().CountAsync()
                    + await session.Query<AssetView<AudioMetadata>>().CountAsync();
        var productions = await session.Query<ProductionView>().CountAsync();
        var blobs = Directory.EnumerateFiles(Catalog.BlobDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        return $"rows {rows.Single()}, views {views}, productions {productions}, blobs {string.Join(",", blobs.Select(Path.GetFileName))}";
    }
}
