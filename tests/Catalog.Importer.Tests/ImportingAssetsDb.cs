using Catalog.Application.Assets;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Exporter;
using Catalog.Importer;
using Catalog.Infrastructure;
using Catalog.Projections;
using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Importer.Tests;

public sealed class ImportingAssetsDb(CatalogFixture fixture) : ImportTest(fixture)
{
    private static readonly DateTimeOffset Made = new(2025, 6, 7, 8, 9, 10, 123, TimeSpan.Zero);

    /// <summary>A catalog with every kind of row and value, deleted ones too (so the file's sqlite_sequence runs ahead).</summary>
    private async Task FillAsync()
    {
        await Catalog.CreateProductionAsync("prod_live", "Night Drive ☾", "Van Williams");
        await Catalog.SendAsync(new ReplaceStoryboard("prod_live", """{"scenes": [{"clip_id": "c9"}]}"""));
        await Catalog.SendAsync(new ReplaceSettings("prod_live", """{"seed": 7}"""));
        await Catalog.SendAsync(new AttachProductionAudio("prod_live", null, "song.wav", 181.5));
        await Catalog.SendAsync(new ChangeProductionStatus("prod_live", "generating"));
        await Catalog.CreateProductionAsync("prod_bare", null, null);
        await Catalog.RegisterAsync(new ImageMetadata("reference", "c9", "neon «road»", "64x36", "img2img", 4.5, 12), TestMedia.Png(seed: 4),
            "image/png", "frame ü.png", "prod_live", Made);
        var deleted = await Image("deleted.png", seed: 5);
        await Catalog.SendAsync(new DeleteAsset<ImageMetadata>(deleted));
        await Image("loose.png", seed: 6);
        await Video("clip.mp4", "prod_live");
        await Catalog.RegisterAsync(new VideoMetadata("final", null, null, null, null, null, null, null), TestMedia.Mp4(), "video/mp4", "same-bytes.mp4");
        await Audio("song.wav", "prod_live");
    }

    private static List<string> Table(string path, string table)
    {
        using var db = OpenRead(path);
        return Rows(db, $"select * from {table} order by 1").Select(r => string.Join("|", r.Select(v => v is byte[] b ? TestMedia.Sha256(b) : v?.ToString() ?? "NULL"))).ToList();
    }

    private static void AssertSameRows(string expected, string actual)
    {
        foreach (var table in new[] { "productions", "images", "videos", "audio", "sqlite_sequence" })
            Assert.Equal(Table(expected, table), Table(actual, table));
    }

    private Task<ImportReport> ImportDbAsync(TestCatalog into, string path) =>
        AssetsDbImport.RunAsync(into.Store, into.Blobs, long.MaxValue, path, "importer", null, default);

    [Fact]
    public async Task export_then_import_into_an_empty_catalog_then_export_again_gives_the_same_rows_and_bytes()
    {
        await FillAsync();
        await ExportAsync(new ExportOptions(Out["first.db"]));
        await ExportAsync(new ExportOptions(Out["hybrid/assets.db"], ExportMode.Hybrid));

        await using (var empty = await TestCatalog.CreateAsync("catalog_import"))
        {
            var report = await ImportDbAsync(empty, Out["first.db"]);
            Assert.True(report.Ok, string.Join("\n", report.Entries));
            Assert.Equal((5, 2, 0), (report.Counts[ImportOutcome.Registered], report.ProductionsCreated, report.Renumbered));

            await using var source = await ExportSource.OpenAsync(empty.Store, null, null, default);
            await AssetsDbWriter.WriteAsync(source, empty.Blobs, new ExportOptions(Out["second.db"]), null, default);
        }
        AssertSameRows(Out["first.db"], Out["second.db"]);

        // A hybrid export (binary_data NULL, the files beside it) comes back the same.
        await using (var empty = await TestCatalog.CreateAsync("catalog_import"))
        {
            Assert.True((await ImportDbAsync(empty, Out["hybrid/assets.db"])).Ok);
            await using var source = await ExportSource.OpenAsync(empty.Store, null, null, default);
            await AssetsDbWriter.WriteAsync(source, empty.Blobs, new ExportOptions(Out["third.db"]), null, default);
        }
        AssertSameRows(Out["first.db"], Out["third.db"]);
    }

    [Fact]
    public async Task ids_taken_here_get_new_ones_the_others_are_kept_and_the_sequence_moves_past_the_files()
    {
        await using (var other = await TestCatalog.CreateAsync("catalog_import"))
        {
            await other.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(seed: 1), "image/png", "a.png");
            await other.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(seed: 2), "image/png", "b.png");
            await other.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(seed: 3), "image/png", "c.png");
            await using var source = await ExportSource.OpenAsync(other.Store, null, null, default);
            await AssetsDbWriter.WriteAsync(source, other.Blobs, new ExportOptions(Out["other.db"]), null, default);
        }
        var mine = await Image("mine.png", seed: 9); // #1 is taken here
        Assert.Equal(1, mine);

        var report = await ImportDbAsync(Catalog, Out["other.db"]);

        Assert.True(report.Ok);
        Assert.Equal(1, report.Renumbered);
        var renumbered = report.Entries.Single(e => e.Label == "new id");
        Assert.Contains("images #1 'a.png'", renumbered.Item);
        Assert.Equal(("b.png", "c.png"), ((await One<ImageMetadata>("b.png")).Id == 2 ? "b.png" : "?", (await One<ImageMetadata>("c.png")).Id == 3 ? "c.png" : "?"));
        var a = await One<ImageMetadata>("a.png");
        Assert.True(a.Id > 3, $"a.png got #{a.Id}");
        Assert.Contains($"registered as image #{a.Id}", renumbered.Message);
        await using var session = Catalog.Store.LightweightSession();
        Assert.True(await AssetIds.NextAsync(session, AssetKind.Image, default) > a.Id);
    }

    [Fact]
    public async Task a_second_import_is_skipped_and_other_bytes_under_a_name_are_a_conflict()
    {
        await FillAsync();
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        var events = await EventCount();

        var again = await ImportDbAsync(Catalog, Out["assets.db"]);
        Assert.Equal((0, 5, 2), (again.Counts[ImportOutcome.Registered], again.Counts[ImportOutcome.Skipped], again.ProductionsSkipped));
        Assert.Equal(events, await EventCount());

        using (var db = new SqliteConnection($"Data Source={Out["assets.db"]};Pooling=False"))
        {
            db.Open();
            using var change = db.CreateCommand();
            change.CommandText = "update images set binary_data = $png, file_size = length($png) where filename = 'loose.png'";
            change.Parameters.AddWithValue("$png", TestMedia.Png(seed: 42));
            change.ExecuteNonQuery();
        }
        var changed = await ImportDbAsync(Catalog, Out["assets.db"]);
        Assert.False(changed.Ok);
        Assert.Contains("is taken by image", Assert.Single(changed.Entries, e => e.Label == "conflict").Message);
        Assert.Equal(events, await EventCount());
    }

    [Fact]
    public async Task import_db_keeps_a_thread_for_each_reader_and_commit_in_flight_besides_one_per_core()
    {
        await FillAsync();
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        await Catalog.ResetAsync();
        ThreadPool.GetMinThreads(out var before, out _); // the pool is the process's: more readers than any test before asked for
        var readers = before + 50;

        var report = await AssetsDbImport.RunAsync(Catalog.Store, Catalog.Blobs, long.MaxValue, Out["assets.db"], "importer", null, default, parallelism: readers);

        Assert.Equal(5, report.Counts[ImportOutcome.Registered]);
        ThreadPool.GetMinThreads(out var threads, out _);
        Assert.True(threads >= readers + 2 + Environment.ProcessorCount, $"the pool's minimum is {threads} threads for {readers} readers");
    }

    /// <summary>An assets.db (Out["assets.db"]) of this many small PNG rows and MP4 rows; the ids they had, by filename.</summary>
    private async Task<Dictionary<string, long>> ManyRowsAsync(int images, int videos)
    {
        for (var i = 0; i < images; i++) Put($"data/images/frame-{i:D4}.png", TestMedia.Png(32, 18, seed: 1000 + i));
        for (var i = 0; i < videos; i++) Put($"data/videos/clip-{i}.mp4", TestMedia.Mp4());
        Assert.True((await ImportFolderAsync()).Ok);
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        return (await All<ImageMetadata>()).ToDictionary(v => v.Filename, v => v.Id);
    }

    [Fact]
    public async Task an_import_db_stopped_half_way_keeps_whole_batches_and_the_next_run_finishes_it_without_duplicates()
    {
        await ManyRowsAsync(600, videos: 0);
        await Catalog.ResetAsync();
        using var stop = new CancellationTokenSource();

        // Stopped once the first batch of 256 rows is in: what was committing when it stopped is in whole or not at all.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AssetsDbImport.RunAsync(Catalog.Store, Catalog.Blobs, long.MaxValue,
            Out["assets.db"], "importer", WorkProgress.Inline(p => { if (p.Rows >= 256) stop.Cancel(); }), stop.Token));
        var first = await EventCount();
        Assert.True(first is 256 or 512, $"{first} registered: a batch is all in or all out");
        await Task.Delay(500);
        Assert.Equal(first, await EventCount()); // nothing appended after it returned

        var rest = await ImportDbAsync(Catalog, Out["assets.db"]);
        Assert.Equal((600 - first, first), ((long)rest.Counts[ImportOutcome.Registered], (long)rest.Counts[ImportOutcome.Skipped]));
        Assert.Equal(600, (await All<ImageMetadata>()).Select(v => v.Filename).Distinct().Count());
        Assert.Equal(600, await EventCount());
    }

    [Fact]
    public async Task a_file_of_many_batches_is_imported_whole_each_row_decided_in_its_batch_and_the_progress_reaches_every_row()
    {
        const int Images = 600; // three batches of rows (256 a batch), the last committing while the videos are read
        var ids = await ManyRowsAsync(Images, videos: 3);
        using (var db = new SqliteConnection($"Data Source={Out["assets.db"]};Pooling=False"))
        {
            db.Open();
            using var change = db.CreateCommand();
            change.CommandText = "update images set file_size = 7 where filename = 'frame-0100.png'"; // the first batch
            change.ExecuteNonQuery();
        }
        await Catalog.ResetAsync();
        await Catalog.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(32, 18, seed: 7), "image/png", "frame-0300.png");
        await Catalog.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(32, 18, seed: 1500), "image/png", "frame-0500.png");

        var seen = new List<WorkProgress>();
        var report = await AssetsDbImport.RunAsync(Catalog.Store, Catalog.Blobs, long.MaxValue, Out["assets.db"], "importer",
            WorkProgress.Inline(p => { lock (seen) seen.Add(p); }), default, parallelism: 3);

        Assert.False(report.Ok);
        Assert.Equal((Images + 3 - 3, 1, 1, 1), (report.Counts[ImportOutcome.Registered], report.Counts[ImportOutcome.Skipped],
            report.Counts[ImportOutcome.Conflict], report.Counts[ImportOutcome.Failed]));
        Assert.Contains("file_size says 7 bytes", Entry(report, "'frame-0100.png'"));
        Assert.Contains("is taken by image", Entry(report, "'frame-0300.png'"));
        var last = seen[^1];
        Assert.Equal((Images + 3L, Images + 3L), (last.Rows, last.TotalRows));
        Assert.Equal(last.TotalBytes, last.Bytes);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Rows >= p.First.Rows), "the progress never goes back");

        // Every row that came in is there once, with its bytes; the two ids this catalog had handed out were renumbered, the others kept.
        var images = await All<ImageMetadata>();
        Assert.Equal(Images - 1, images.Count); // frame-0100.png refused
        Assert.Equal(images.Count, images.Select(v => v.Filename).Distinct().Count());
        var renumbered = images.Where(v => v.Filename is not ("frame-0300.png" or "frame-0500.png") && v.Id != ids[v.Filename]).ToList();
        Assert.Equal(2, renumbered.Count);
        Assert.All(renumbered, v => Assert.True(v.Id > ids.Values.Max()));
        var sample = images.Single(v => v.Filename == "frame-0421.png");
        await using (var blob = (await Catalog.Blobs.OpenReadAsync(sample.Sha256, default))!)
        {
            var bytes = new MemoryStream();
            await blob.CopyToAsync(bytes);
            Assert.Equal(TestMedia.Png(32, 18, seed: 1421), bytes.ToArray());
        }
        Assert.Equal(3, (await All<VideoMetadata>()).Count);
    }

    [Fact]
    public async Task rows_that_cannot_be_taken_are_reported_and_the_rest_imported()
    {
        await Image("short.png", seed: 1);
        await Image("fine.png", seed: 2);
        await Image("climber.png", seed: 3);
        await Audio("beside.wav");
        await ExportAsync(new ExportOptions(Out["hybrid/assets.db"], ExportMode.Hybrid));
        File.Delete(Out["hybrid/data/audio/beside.wav"]);
        using (var db = new SqliteConnection($"Data Source={Out["hybrid/assets.db"]};Pooling=False"))
        {
            db.Open();
            using var change = db.CreateCommand();
            change.CommandText = "update images set file_size = 10 where filename = 'short.png'; " +
                                 "update images set filename = '../../escape.png' where filename = 'climber.png'";
            change.ExecuteNonQuery();
        }
        await Catalog.ResetAsync();

        var report = await ImportDbAsync(Catalog, Out["hybrid/assets.db"]);

        Assert.False(report.Ok);
        Assert.Equal(1, report.Counts[ImportOutcome.Registered]);
        Assert.Equal("fine.png", Assert.Single(await All<ImageMetadata>()).Filename);
        Assert.Contains("file_size says 10 bytes but data/images/short.png holds", Entry(report, "'short.png'"));
        Assert.Equal("binary_data is NULL and data/audio/beside.wav is not beside the database", Entry(report, "'beside.wav'"));
        Assert.Equal("not a usable filename: filename may not contain '/' or '\\'.", Entry(report, "'../../escape.png'"));
        Assert.Equal(1, await EventCount());
    }

    [Fact]
    public async Task audio_rows_holding_sound_only_in_a_movie_container_are_imported()
    {
        foreach (var (fixture, mimeType) in new[] { ("tone-48000-1s-opus.webm", "audio/webm"), ("tone-44100-1s-vorbis.mka", "audio/x-matroska"), ("tone-22050-1s-aac.mp4", "audio/mp4") })
            await Catalog.RegisterAsync(new AudioMetadata("vocals", 1.0, null), File.ReadAllBytes(TestMedia.Fixture(fixture)), mimeType, fixture);
        await ExportAsync(new ExportOptions(Out["sound.db"]));
        using (var db = new SqliteConnection($"Data Source={Out["sound.db"]};Pooling=False"))
        {
            db.Open();
            using var change = db.CreateCommand();
            change.CommandText = "update audio set mime_type = NULL where filename like '%.mka'"; // the type left to the bytes
            change.ExecuteNonQuery();
        }
        await Catalog.ResetAsync();

        var report = await ImportDbAsync(Catalog, Out["sound.db"]);

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(3, report.Counts[ImportOutcome.Registered]);
        Assert.Equal(["audio/mp4", "audio/webm", "audio/x-matroska"], (await All<AudioMetadata>()).Select(a => a.MimeType).Order());
        Assert.All(await All<AudioMetadata>(), a => Assert.Equal(TestMedia.Sha256(File.ReadAllBytes(TestMedia.Fixture(a.Filename))), a.Sha256));
    }

    [Fact]
    public async Task a_file_beside_the_database_that_links_out_of_its_folder_is_not_followed()
    {
        await Audio("linked.wav");
        await Image("kept.png", seed: 5);
        await ExportAsync(new ExportOptions(Out["hybrid/assets.db"], ExportMode.Hybrid));
        Directory.CreateDirectory(Out["elsewhere"]);
        await File.WriteAllBytesAsync(Out["elsewhere/secret.wav"], TestMedia.Wav());
        File.Delete(Out["hybrid/data/audio/linked.wav"]);
        File.CreateSymbolicLink(Out["hybrid/data/audio/linked.wav"], Out["elsewhere/secret.wav"]);
        await Catalog.ResetAsync();

        var report = await ImportDbAsync(Catalog, Out["hybrid/assets.db"]);

        Assert.Contains("outside data/ beside the database", Entry(report, "'linked.wav'"));
        Assert.Empty(await All<AudioMetadata>());
        Assert.Equal("kept.png", Assert.Single(await All<ImageMetadata>()).Filename);
    }

    [Fact]
    public async Task a_file_that_is_not_an_assets_db_is_refused_whole()
    {
        File.WriteAllText(Out["notes.db"], "not a database at all");
        var notSqlite = await Assert.ThrowsAsync<ImportFailedException>(() => ImportDbAsync(Catalog, Out["notes.db"]));
        Assert.Contains("not a SQLite database", notSqlite.Message);

        using (var db = new SqliteConnection($"Data Source={Out["other.db"]};Pooling=False"))
        {
            db.Open();
            using var create = db.CreateCommand();
            create.CommandText = "create table images (id integer primary key, filename text)";
            create.ExecuteNonQuery();
        }
        var otherSchema = await Assert.ThrowsAsync<ImportFailedException>(() => ImportDbAsync(Catalog, Out["other.db"]));
        Assert.Contains("is not in the seed's schema: missing:", otherSchema.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => ImportDbAsync(Catalog, Out["nowhere.db"]));
        Assert.Equal(0, await EventCount());
    }

    [Fact]
    public async Task the_imported_catalog_is_also_its_past_an_as_of_export_folds_the_imported_events_the_same()
    {
        await FillAsync();
        await ExportAsync(new ExportOptions(Out["first.db"]));
        await using var empty = await TestCatalog.CreateAsync("catalog_import");
        await ImportDbAsync(empty, Out["first.db"]);

        // Rebuilt from the events (production.imported, image.registered, …) with the projections' own code.
        await using var source = await ExportSource.OpenAsync(empty.Store, null, DateTimeOffset.UtcNow, default);
        await AssetsDbWriter.WriteAsync(source, empty.Blobs, new ExportOptions(Out["as-of.db"]), null, default);
        AssertSameRows(Out["first.db"], Out["as-of.db"]);
    }
}
