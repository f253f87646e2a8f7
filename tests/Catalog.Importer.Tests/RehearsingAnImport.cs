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
        var eventNumber = await EventSequenceAsync();

        var (report, database, _) = await ImportSamples.RehearseAsync(Catalog.Store, Catalog.Blobs, Probe, CancellationToken.None);

        // Every sample was read, probed and decided as an import decides it: 12 files of 12 formats, one production — as a
        // folder, and again as the rows of an assets.db (its BLOBs streamed, its rows' ids wanted, as import-db does).
        foreach (var rehearsed in new[] { report, database })
        {
            Assert.Equal(12, rehearsed.Counts.GetValueOrDefault(ImportOutcome.Registered));
            Assert.Equal(12, rehearsed.Counts.Values.Sum());
            Assert.Equal(1, rehearsed.ProductionsCreated);
            // Each was put into the production the rehearsal created (the clip id, or the row's production_id): the
            // registrations saw the production's uncommitted creation, as an import's see its committed one.
            Assert.Equal(12, rehearsed.Linked);
            Assert.Equal(0, rehearsed.NotLinked);
        }
        Assert.Equal(report.Bytes, database.Bytes);
        // Their commits were sent (the events took numbers, twice 12 assets' and the production's) and undone: no event,
        // stream, view, production or blob is in the catalog, the views' version has not moved, no temporary folder is left.
        Assert.True(await EventSequenceAsync() >= eventNumber + 26, "the rehearsals' events were not sent");
        Assert.Equal(before, await StateAsync());
        Assert.Equal(temporary, TemporaryFolders());

        // No id was drawn, and no sequence moved past the database's rows' ids (1–5): the next asset of each kind gets the
        // number after the last one.
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

        var (report, database, _) = await ImportSamples.RehearseAsync(Catalog.Store, Catalog.Blobs, Probe, CancellationToken.None);

        foreach (var rehearsed in new[] { report, database })
        {
            Assert.Equal(1, rehearsed.Counts.GetValueOrDefault(ImportOutcome.Conflict));
            Assert.Equal(11, rehearsed.Counts.GetValueOrDefault(ImportOutcome.Registered));
            Assert.Equal(1, rehearsed.ProductionsSkipped);
        }
        Assert.Equal(before, await StateAsync());
        await using var session = Catalog.Store.QuerySession();
        Assert.Equal("Mine", (await session.LoadAsync<ProductionView>("prod_import_samples"))!.Title);
    }

    [Fact]
    public async Task rehearsals_beside_an_import_leave_it_whole_the_same_numbers_waiting_for_the_undone_rows()
    {
        // The rehearsals send rows with the numbers the sequences would give next, as the import draws them: whichever
        // comes second waits for the other's transaction, and only the import's rows are kept.
        Put("data/images/sample-still.png", TestMedia.Png(40, 30)); // a sample's own filename, other bytes
        PutFixture("data/videos/sample-clip.webm", "clip-480p-25fps-2s.webm");
        PutFixture("data/audio/sample-song.flac", "tone-44100-2s.flac");
        var rehearsals = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ImportSamples.RehearseAsync(Catalog.Store, Catalog.Blobs, Probe, CancellationToken.None))).ToList();
        var import = await ImportFolderAsync();
        await Task.WhenAll(rehearsals);

        Assert.True(import.Ok);
        Assert.Equal(3, import.Counts.GetValueOrDefault(ImportOutcome.Registered));
        Assert.Equal(1, (await One<ImageMetadata>("sample-still.png")).Id);
        Assert.Equal(1, (await One<VideoMetadata>("sample-clip.webm")).Id);
        Assert.Equal(1, (await One<AudioMetadata>("sample-song.flac")).Id);
        await using var session = Catalog.Store.QuerySession();
        Assert.Equal(3, (await session.QueryAsync<long>($"select count(*) from {CatalogStore.SchemaName}.mt_events")).Single());
        Assert.Equal(0, await session.Query<ProductionView>().CountAsync());
    }

    /// <summary>The last number the events' sequence gave (a rolled-back append moves it too).</summary>
    private async Task<long> EventSequenceAsync()
    {
        await using var session = Catalog.Store.QuerySession();
        return (await session.QueryAsync<long>($"select last_value from {CatalogStore.SchemaName}.mt_events_sequence")).Single();
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
        var version = await session.QueryAsync<long>($"select sum(changes)::bigint from {ViewChanges.Table}");
        return $"rows {rows.Single()}, views {views}, productions {productions}, views' version {version.Single()}, blobs {string.Join(",", blobs.Select(Path.GetFileName))}";
    }
}
