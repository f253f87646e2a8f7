using System.Security.Cryptography;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections;
using Catalog.Importer;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Projections.Views;
using Catalog.Testing;
using Marten;

namespace Catalog.Importer.Tests;

public sealed class ImportingFolders(CatalogFixture fixture) : ImportTest(fixture)
{
    private const string Storyboard =
        """{ "scenes": [ { "clip_id": "clip_001", "prompt": "neon road" }, { "clip_id": "clip_002", "image": "data/images/still-320x240.jpg", "video": "missing.mp4" } ] }""";

    private void PutEveryFormat()
    {
        Put("data/images/clip_001_start.png", TestMedia.Png(1024, 576));
        PutFixture("data/images/still-320x240.jpg", "still-320x240.jpg");
        PutFixture("data/images/still-200x100.gif", "still-200x100.gif");
        PutFixture("data/images/still-300x150.webp", "still-300x150.webp");
        PutFixture("data/videos/clip_001.mp4", "clip-720p-24fps-3s.mp4");
        PutFixture("data/videos/clip-360p-30fps-2s.mov", "clip-360p-30fps-2s.mov");
        PutFixture("data/videos/clip-480p-25fps-2s.webm", "clip-480p-25fps-2s.webm");
        Put("data/audio/song.wav", TestMedia.Wav(seconds: 1.5, sampleRate: 48_000));
        foreach (var audio in new[] { "tone-44100-2s.flac", "tone-22050-2s.ogg", "tone-32000-2s.mp3", "tone-44100-2s.m4a" })
            PutFixture("data/audio/" + audio, audio);
        PutText("data/productions/prod_night.json", $$"""
            { "id": "prod_night", "title": "Night Drive", "artist": "Van Williams", "audio_filename": "song.wav", "audio_duration": 1.5,
              "status": "completed", "created_at": "2025-03-01T09:30:00Z", "updated_at": "2025-03-02T10:00:00Z",
              "storyboard": {{Storyboard}}, "settings": { "fps": 24 } }
            """);
    }

    [Fact]
    public async Task every_format_is_registered_with_metadata_from_its_bytes_and_linked_to_the_production_that_names_it()
    {
        PutEveryFormat();

        var report = await ImportFolderAsync();

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(12, report.Counts[ImportOutcome.Registered]);
        Assert.Equal(1, report.ProductionsCreated);
        Assert.Equal(4, report.Linked); // clip_001_start.png and clip_001.mp4 by clip id, still-320x240.jpg by name, song.wav as the audio
        Assert.Contains("'missing.mp4', which is neither among the files nor in the catalog", Entry(report, "prod_night.json"));

        var png = await One<ImageMetadata>("clip_001_start.png");
        Assert.Equal(("1024x576", "generated", "clip_001", "prod_night", "image/png"),
            (png.Metadata.Size, png.Metadata.ImageType, png.Metadata.ClipId, png.ProductionId, png.MimeType));
        Assert.Equal(("320x240", "clip_002", "prod_night"), ((await One<ImageMetadata>("still-320x240.jpg")).Metadata.Size,
            (await One<ImageMetadata>("still-320x240.jpg")).Metadata.ClipId, (await One<ImageMetadata>("still-320x240.jpg")).ProductionId));
        Assert.Equal(("200x100", null, "image/gif"), ((await One<ImageMetadata>("still-200x100.gif")).Metadata.Size,
            (await One<ImageMetadata>("still-200x100.gif")).ProductionId, (await One<ImageMetadata>("still-200x100.gif")).MimeType));
        Assert.Equal("300x150", (await One<ImageMetadata>("still-300x150.webp")).Metadata.Size);

        var mp4 = await One<VideoMetadata>("clip_001.mp4");
        Assert.Equal((3.0, "720p", (int?)24, "clip_001", "prod_night", "clip"),
            (mp4.Metadata.Duration, mp4.Metadata.Resolution, mp4.Metadata.Fps, mp4.Metadata.ClipId, mp4.ProductionId, mp4.Metadata.VideoType));
        Assert.Equal(("360p", "video/quicktime"), ((await One<VideoMetadata>("clip-360p-30fps-2s.mov")).Metadata.Resolution,
            (await One<VideoMetadata>("clip-360p-30fps-2s.mov")).MimeType));
        Assert.Equal("video/webm", (await One<VideoMetadata>("clip-480p-25fps-2s.webm")).MimeType);

        var wav = await One<AudioMetadata>("song.wav");
        Assert.Equal((48_000, 1.5, "original", "prod_night"), (wav.Metadata.SampleRate, wav.Metadata.Duration, wav.Metadata.AudioType, wav.ProductionId));
        Assert.Equal(["audio/flac", "audio/mp4", "audio/mpeg", "audio/ogg", "audio/wav"], (await All<AudioMetadata>()).Select(a => a.MimeType).Order());
        // read in process, so the same with ffprobe or without (Catalog__Ffprobe=off)
        Assert.Equal(22_050, (await One<AudioMetadata>("tone-22050-2s.ogg")).Metadata.SampleRate);
        Assert.Equal((25, "480p"), ((await One<VideoMetadata>("clip-480p-25fps-2s.webm")).Metadata.Fps,
            (await One<VideoMetadata>("clip-480p-25fps-2s.webm")).Metadata.Resolution));

        // The bytes in the blob store are the files' bytes.
        foreach (var image in await All<ImageMetadata>())
            Assert.Equal(Sha(Source["data/images/" + image.Filename]), image.Sha256);

        await using var session = Catalog.Store.QuerySession();
        var production = await session.LoadAsync<ProductionView>("prod_night");
        Assert.Equal(("Night Drive", "completed", "song.wav", 1.5, Storyboard, """{ "fps": 24 }"""),
            (production!.Title, production.Status, production.AudioFilename, production.AudioDuration, production.StoryboardJson, production.SettingsJson));
        Assert.Equal((DateTimeOffset.Parse("2025-03-01T09:30:00Z"), DateTimeOffset.Parse("2025-03-02T10:00:00Z")), (production.CreatedAt, production.UpdatedAt));

        // Ordinary events: a full history, who ran the import and from where.
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        Assert.Equal(13, events.Count);
        Assert.All(events, e => Assert.Equal("importer", e.UserName));
        Assert.All(events, e => Assert.Equal($"import-fs {Source.Path}", e.Headers!["reason"]?.ToString()));
        Assert.Contains(events, e => e.EventTypeName == "production.imported");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task a_movie_container_written_to_while_it_is_probed_for_its_kind_is_left_for_the_next_run()
    {
        // A Matroska file the in-process reader cannot finish goes to ffprobe before its kind is chosen (it might hold sound
        // only); an "ffprobe" that touches it meanwhile must be seen, as after a probe made once the bytes are staged.
        var subtitles = PutFixture("data/videos/subtitles-only.mkv", "subtitles-only.mkv");
        PutFixture("data/videos/clip.webm", "clip-480p-25fps-2s.webm");
        var report = await ImportFolderAsync(probe: TouchingFfprobe());

        Assert.Equal(1, report.Counts[ImportOutcome.Registered]);
        Assert.Equal("written to while it was imported: left for the next run", Entry(report, "subtitles-only.mkv"));
        Assert.Equal(new DateTime(2001, 1, 1), File.GetLastWriteTime(subtitles)); // the script did reach the source
        Assert.Equal(["clip.webm"], (await All<VideoMetadata>()).Select(v => v.Filename));
    }

    [Fact]
    public async Task sound_only_in_a_movie_container_is_an_audio_track_and_a_second_run_skips_it()
    {
        PutFixture("data/audio/tone-48000-1s-opus.webm", "tone-48000-1s-opus.webm"); // the bytes say the kind, wherever a file lies
        PutFixture("data/audio/tone-44100-1s-vorbis.mka", "tone-44100-1s-vorbis.mka");
        PutFixture("data/audio/tone-22050-1s-aac.mp4", "tone-22050-1s-aac.mp4");
        PutFixture("data/audio/clip-480p-25fps-2s.webm", "clip-480p-25fps-2s.webm");
        PutFixture("data/audio/clip-180p-30fps-1s-cmaf.mp4", "clip-180p-30fps-1s-cmaf.mp4"); // a picture and sound: a video

        var report = await ImportFolderAsync();

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(5, report.Counts[ImportOutcome.Registered]);
        Assert.Equal([("audio/mp4", 22_050), ("audio/webm", 48_000), ("audio/x-matroska", 44_100)],
            (await All<AudioMetadata>()).Select(a => (a.MimeType, a.Metadata.SampleRate ?? 0)).Order());
        Assert.All(await All<AudioMetadata>(), a => Assert.Equal(1.0, a.Metadata.Duration!.Value, 0.01));
        Assert.Equal(["clip-180p-30fps-1s-cmaf.mp4", "clip-480p-25fps-2s.webm"], (await All<VideoMetadata>()).Select(v => v.Filename).Order());
        foreach (var track in await All<AudioMetadata>())
            Assert.Equal(Sha(Source["data/audio/" + track.Filename]), track.Sha256);

        var events = await EventCount();
        var again = await ImportFolderAsync();
        Assert.Equal(5, again.Counts[ImportOutcome.Skipped]);
        Assert.Equal(events, await EventCount());
    }

    [Fact]
    public async Task the_formats_beyond_the_webs_are_imported_by_their_bytes_and_a_second_run_skips_them()
    {
        string[] fixtures = ["clip-120p-25fps-1s.ts", "clip-180p-30fps-1s.m2ts", "clip-120p-25fps-1s.mpg", "clip-120p-25fps-1s.flv",
            "clip-120p-25fps-1s.wmv", "tone-22050-1s.au", "tone-16000-1s.caf", "tone-44100-1s.ac3", "tone-48000-1s.eac3", "tone-22050-1s.wma",
            "tone-44100-1s.wv", "tone-22050-1s.w64", "tone-48000-1s-aac.ts", "still-64x48.ico", "still-64x48.psd", "still-64x48.ppm", "still-64x48.tga", "still-64x48.jp2",
            "still-64x48.exr", "still-64x48.dds", "still-64x48.svg"];
        foreach (var fixture in fixtures) PutFixture("data/images/" + fixture, fixture); // all in one folder: the bytes say the kind

        var report = await ImportFolderAsync();

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(fixtures.Length, report.Counts[ImportOutcome.Registered]);
        Assert.Equal(["clip-120p-25fps-1s.flv", "clip-120p-25fps-1s.mpg", "clip-120p-25fps-1s.ts", "clip-120p-25fps-1s.wmv", "clip-180p-30fps-1s.m2ts"],
            (await All<VideoMetadata>()).Select(v => v.Filename).Order());
        Assert.All(await All<VideoMetadata>(), v => Assert.Equal(v.Filename.Split('-')[1], v.Metadata.Resolution));
        Assert.Equal(8, (await All<AudioMetadata>()).Count);
        var wave64 = await One<AudioMetadata>("tone-22050-1s.w64");
        Assert.Equal(("audio/x-w64", 1.0, 22_050), (wave64.MimeType, wave64.Metadata.Duration, wave64.Metadata.SampleRate));
        Assert.Equal(("audio/mp2t", 48_000), ((await One<AudioMetadata>("tone-48000-1s-aac.ts")).MimeType, (await One<AudioMetadata>("tone-48000-1s-aac.ts")).Metadata.SampleRate)); // sound only: an audio track
        Assert.All(await All<ImageMetadata>(), i => Assert.Equal("64x48", i.Metadata.Size));
        Assert.Equal("image/svg+xml", (await One<ImageMetadata>("still-64x48.svg")).MimeType);
        foreach (var video in await All<VideoMetadata>()) Assert.Equal(Sha(Source["data/images/" + video.Filename]), video.Sha256);

        var events = await EventCount();
        var again = await ImportFolderAsync();
        Assert.Equal(fixtures.Length, again.Counts[ImportOutcome.Skipped]);
        Assert.Equal(events, await EventCount());
    }

    [Fact]
    public async Task a_second_run_registers_nothing_and_other_bytes_under_a_taken_name_are_a_conflict()
    {
        PutEveryFormat();
        await ImportFolderAsync();
        var events = await EventCount();

        var again = await ImportFolderAsync();

        Assert.True(again.Ok);
        Assert.Equal((0, 12, 0, 1), (again.Counts[ImportOutcome.Registered], again.Counts[ImportOutcome.Skipped], again.ProductionsCreated, again.ProductionsSkipped));
        Assert.Equal(events, await EventCount());

        var before = await One<ImageMetadata>("clip_001_start.png");
        Put("data/images/clip_001_start.png", TestMedia.Png(1024, 576, seed: 7));
        var changed = await ImportFolderAsync();

        Assert.False(changed.Ok);
        Assert.Equal(1, changed.Counts[ImportOutcome.Conflict]);
        Assert.Contains($"is taken by image #{before.Id} with other bytes", Entry(changed, "clip_001_start.png"));
        Assert.Equal(before.Sha256, (await One<ImageMetadata>("clip_001_start.png")).Sha256);
        Assert.Equal(events, await EventCount());
    }

    [Fact]
    public async Task bad_files_each_get_a_report_and_nothing_of_them_is_registered()
    {
        var png = TestMedia.Png(1024, 576);
        Put("data/images/empty.png", []);
        Put("data/images/notes.png", "just some text\n"u8.ToArray());
        Put("data/images/page.jpg", "<!DOCTYPE html><html><body>404</body></html>"u8.ToArray());
        Put("data/images/cut.png", png[..(png.Length / 2)]);
        Put("data/videos/cut.mp4", TestMedia.Mp4()[..300]);
        Put("data/images/with spaces ü 名前.png", TestMedia.Png(seed: 1));
        Put("data/images/..dots..png", TestMedia.Png(seed: 2));
        Put("data/images/" + new string('x', 240) + ".png", TestMedia.Png(seed: 3));
        File.CreateSymbolicLink(Source["data/images/escape.png"], "/etc/passwd");
        Put("elsewhere/inside.wav", TestMedia.Wav());
        Directory.CreateDirectory(Source["data/audio"]);
        File.CreateSymbolicLink(Source["data/audio/linked.wav"], Source["elsewhere/inside.wav"]);

        var report = await ImportFolderAsync();

        Assert.False(report.Ok);
        Assert.Equal("empty file (0 bytes)", Entry(report, "empty.png"));
        Assert.Contains("not an image, video or audio format the catalog knows (it starts with \"just some text", Entry(report, "notes.png"));
        Assert.Contains("(it starts with \"<!DOCTYPE html><", Entry(report, "page.jpg"));
        Assert.StartsWith("damaged: ", Entry(report, "cut.png"));
        Assert.StartsWith("damaged: ", Entry(report, "cut.mp4"));
        Assert.Contains("outside the import's root: not followed", Entry(report, "escape.png"));
        Assert.Equal((2, 4), (report.Counts[ImportOutcome.Unrecognised], report.Counts[ImportOutcome.Failed] + 0));

        Assert.Equal(["..dots..png", "with spaces ü 名前.png", new string('x', 240) + ".png"], (await All<ImageMetadata>()).Select(i => i.Filename).Order(StringComparer.Ordinal));
        Assert.Equal("linked.wav", Assert.Single(await All<AudioMetadata>()).Filename);
        Assert.Empty(await All<VideoMetadata>());
        Assert.Equal(4, await EventCount());
        // No blob of a refused file stayed behind.
        foreach (var refused in new[] { "data/images/notes.png", "data/images/page.jpg", "data/images/cut.png", "data/videos/cut.mp4" })
            Assert.False(await Catalog.Blobs.ExistsAsync(Sha(Source[refused]), default), refused);
    }

    [Fact]
    public async Task a_linked_folder_inside_the_root_is_read_once_and_a_dangling_link_is_reported()
    {
        Put("takes/day1/frame.png", TestMedia.Png(seed: 11));
        Put("data/images/own.png", TestMedia.Png(seed: 12));
        Directory.CreateSymbolicLink(Source["data/images/day1"], Source["takes/day1"]); // a folder of the root, linked in
        Directory.CreateSymbolicLink(Source["data/images/again"], Source["data/images/day1"]); // the same folder, through a second link
        File.CreateSymbolicLink(Source["data/images/gone.png"], Source["takes/deleted.png"]);
        Put("data/images/sub/deeper.png", TestMedia.Png(seed: 13));

        var report = await ImportFolderAsync();

        Assert.Contains("which does not exist", Entry(report, "gone.png"));
        Assert.Equal(["deeper.png", "frame.png", "own.png"], (await All<ImageMetadata>()).Select(i => i.Filename).Order(StringComparer.Ordinal));
        Assert.Equal((3, 1), (report.Counts[ImportOutcome.Registered], report.Counts[ImportOutcome.Failed]));
        Assert.Equal(TestMedia.Png(seed: 11).Length, (await All<ImageMetadata>()).Single(i => i.Filename == "frame.png").FileSize);
    }

    [Fact]
    public async Task a_named_pipe_in_a_folder_is_reported_and_never_waited_for()
    {
        Put("data/images/frame.png", TestMedia.Png());
        Directory.CreateDirectory(Source["data/audio"]);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Source["data/audio/live.wav"])) await mkfifo.WaitForExitAsync();
        Assert.True(File.Exists(Source["data/audio/live.wav"]), "mkfifo made the pipe");

        // Opened to be read, a pipe with no writer waited for one for ever: the import never ended.
        var report = await ImportFolderAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("not a regular file (a named pipe or a socket): not read", Entry(report, "live.wav"));
        Assert.Equal((1, 1), (report.Counts[ImportOutcome.Registered], report.Counts[ImportOutcome.Failed]));
        Assert.Equal("frame.png", Assert.Single(await All<ImageMetadata>()).Filename);
        Assert.Empty(await All<AudioMetadata>());
    }

    [Fact]
    public async Task what_an_operating_system_leaves_in_a_folder_is_passed_over_not_reported_as_a_failure()
    {
        Put("data/images/frame.png", TestMedia.Png());
        Put("data/images/.DS_Store", [0, 0, 0, 1, .. "Bud1"u8.ToArray(), .. new byte[64]]); // Finder's folder settings
        Put("data/images/._frame.png", [0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00, .. new byte[74]]); // an AppleDouble companion
        Put("data/images/Thumbs.db", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]);
        Put("data/audio/desktop.ini", "[.ShellClassInfo]\r\n"u8.ToArray());
        Put("data/audio/__MACOSX/._song.wav", [0x00, 0x05, 0x16, 0x07]);
        Put("data/audio/song.wav", TestMedia.Wav());
        Put("data/audio/.hidden-take.wav", TestMedia.Wav(seconds: 0.25)); // a dot file that is media is still media

        var report = await ImportFolderAsync();

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal((3, 5), (report.Counts[ImportOutcome.Registered], report.SystemFilesLeftOut));
        Assert.Empty(report.Entries);
        Assert.Equal([".hidden-take.wav", "song.wav"], (await All<AudioMetadata>()).Select(a => a.Filename).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task the_thread_pool_keeps_a_thread_for_each_reader_and_commit_in_flight_besides_one_per_core()
    {
        // The readers and commits block in file I/O: with a thread per core only, they waited for each other's threads.
        for (var i = 0; i < 3; i++) Put($"data/images/frame_{i}.png", TestMedia.Png(seed: i));
        ThreadPool.GetMinThreads(out var before, out _); // the pool is the process's: more readers than any test before asked for
        var readers = before + 40;

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, Parallelism: readers, CommitsInFlight: 3));

        Assert.Equal(3, report.Counts[ImportOutcome.Registered]);
        ThreadPool.GetMinThreads(out var threads, out _);
        Assert.True(threads >= readers + 3 + Environment.ProcessorCount, $"the pool's minimum is {threads} threads for {readers} readers");
    }

    [Fact]
    public async Task an_import_stopped_half_way_finishes_on_the_next_run_without_duplicates()
    {
        for (var i = 0; i < 10; i++) Put($"data/images/frame_{i:00}.png", TestMedia.Png(seed: i));
        using var stop = new CancellationTokenSource();
        var progress = new Inline(p => { if (p.Rows >= 3) stop.Cancel(); });

        // Batches of 3: stopped once the first is in; the batch in flight is lost whole (nothing of it appended).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 3), progress: progress, ct: stop.Token));
        var first = (await All<ImageMetadata>()).Count;
        Assert.True(first is 3 or 6, $"{first} registered: a batch is all in or all out");
        Assert.Equal(first, await EventCount());

        var rest = await ImportFolderAsync();

        Assert.Equal((10 - first, first), (rest.Counts[ImportOutcome.Registered], rest.Counts[ImportOutcome.Skipped]));
        var images = await All<ImageMetadata>();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"frame_{i:00}.png"), images.Select(i => i.Filename).Order());
        Assert.Equal(10, await EventCount());
    }

    [Fact]
    public async Task a_filename_taken_while_its_batch_waits_fails_that_file_alone_the_batch_is_registered_again_one_by_one()
    {
        for (var i = 0; i < 4; i++) Put($"data/images/frame_{i}.png", TestMedia.Png(seed: i));
        // Batches of 2, each read while the one before commits: once the first is in, an upload takes frame_3.png, which
        // the second batch had found free. Its commit fails on the unique filename; its files go again one by one.
        var progress = new Inline(p =>
        {
            if (p.Rows == 2)
                Catalog.RegisterAsync(new ImageMetadata("generated", null, null, null, null, null, null), TestMedia.Png(seed: 99), "image/png", "frame_3.png").GetAwaiter().GetResult();
        });

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 2, Parallelism: 1, CommitsInFlight: 1), progress: progress);

        Assert.Equal(3, report.Counts[ImportOutcome.Registered]);
        var conflict = Assert.Single(report.Entries, e => e.Label == "conflict");
        Assert.Equal(Path.Combine("data", "images", "frame_3.png"), conflict.Item);
        Assert.Equal(TestMedia.Sha256(TestMedia.Png(seed: 99)), (await One<ImageMetadata>("frame_3.png")).Sha256); // the upload's bytes stay
        Assert.Equal(TestMedia.Sha256(TestMedia.Png(seed: 2)), (await One<ImageMetadata>("frame_2.png")).Sha256);
        Assert.Equal(4, await EventCount());
    }

    /// <summary>
    /// Batches committing at once, each registering into the same two productions in the opposite order of the one before:
    /// every file is registered and put into the production that names it, none fails its neighbours.
    /// </summary>
    [Fact]
    public async Task batches_committing_at_once_into_the_same_productions_register_and_link_every_file()
    {
        var named = new Dictionary<string, List<string>> { ["prod_east"] = [], ["prod_west"] = [] };
        for (var i = 0; i < 12; i++)
        {
            var name = $"f{i:00}.png";
            Put($"data/images/{name}", TestMedia.Png(seed: 500 + i));
            // batch k (files 2k, 2k+1): east then west when k is even, west then east when it is odd
            named[(i / 2 % 2 == 0) == (i % 2 == 0) ? "prod_east" : "prod_west"].Add(name);
        }
        foreach (var (id, names) in named)
            PutText($"data/productions/{id}.json", $$"""
                { "id": "{{id}}", "title": "{{id}}", "artist": "Van Williams", "status": "draft",
                  "storyboard": { "scenes": [ {{string.Join(", ", names.Select(n => $$"""{ "image": "data/images/{{n}}" }"""))}} ] } }
                """);

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 2, CommitsInFlight: 3));

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(12, report.Counts[ImportOutcome.Registered]);
        foreach (var (id, names) in named)
        foreach (var name in names)
            Assert.Equal(id, (await One<ImageMetadata>(name)).ProductionId);
    }

    /// <summary>
    /// The productions go in together, in one transaction: a live one is skipped, a deleted one is a conflict, one the rules
    /// refuse fails, a second file of the same production is skipped — and none of them keeps the others out.
    /// </summary>
    [Fact]
    public async Task productions_are_created_in_one_transaction_and_a_refused_one_leaves_the_others_alone()
    {
        await Catalog.CreateProductionAsync("prod_live");
        await Catalog.CreateProductionAsync("prod_gone");
        await Catalog.SendAsync(new DeleteProduction("prod_gone"));
        foreach (var id in new[] { "prod_a", "prod_b", "prod_c", "prod_live", "prod_gone" })
            PutText($"data/productions/{id}.json", $$"""{ "id": "{{id}}", "title": "{{id}}", "status": "draft" }""");
        PutText("data/productions/too-prod_a.json", """{ "id": "prod_a", "title": "the same production, in a file read after it" }""");
        PutText("data/productions/bad.json", """{ "id": "prod bad/id", "title": "an id the catalog refuses" }""");

        var report = await ImportFolderAsync();

        Assert.Equal((3, 2), (report.ProductionsCreated, report.ProductionsSkipped));
        Assert.Contains("was deleted from the catalog", Entry(report, "prod_gone.json"));
        Assert.Equal("failed", report.Entries.Single(e => e.Item.EndsWith("bad.json", StringComparison.Ordinal)).Label);
        await using var session = Catalog.Store.QuerySession();
        foreach (var id in new[] { "prod_a", "prod_b", "prod_c" })
            Assert.Equal(id, (await session.LoadAsync<ProductionView>(id))!.Title);
        Assert.Equal((3L, 1L), await ImportedProductionEventsAsync()); // one transaction wrote them all
    }

    /// <summary>
    /// The files are read, hashed and staged while the productions commit (held here at a gate in PostgreSQL); none is
    /// registered before them, and each then goes into the production that names it — or none, when that one was refused.
    /// </summary>
    [Fact]
    public async Task files_are_staged_while_the_productions_commit_and_registered_into_them_after()
    {
        await Catalog.CreateProductionAsync("prod_gone");
        await Catalog.SendAsync(new DeleteProduction("prod_gone"));
        long bytes = 0;
        foreach (var (id, name, seed) in new[] { ("prod_new", "a.png", 1), ("prod_gone", "g.png", 2) })
        {
            Put($"data/images/{name}", TestMedia.Png(seed: 700 + seed));
            bytes += new FileInfo(Source[$"data/images/{name}"]).Length;
            PutText($"data/productions/{id}.json", $$"""{ "id": "{{id}}", "title": "{{id}}", "storyboard": { "scenes": [ { "image": "data/images/{{name}}" } ] } }""");
        }
        Put("data/images/clip_9_end.png", TestMedia.Png(seed: 703));
        PutText("data/productions/prod_clips.json", """{ "id": "prod_clips", "title": "by clip id", "storyboard": [ { "clip_id": "clip_9" } ] }""");
        bytes += new FileInfo(Source["data/images/clip_9_end.png"]).Length;

        ImportReport? running = null;
        Task<ImportReport> import;
        await using (var gate = await EventsGate.CloseAsync(Catalog.ConnectionString, "new.type = 'production.imported'"))
        {
            import = FileSystemImport.RunAsync(Catalog.Store, Catalog.Blobs, Probe, long.MaxValue, new FileImportOptions(Source.Path), "importer",
                null, default, started: report => running = report);
            await gate.HeldAsync(import.ContinueWith(t => $"{t.Status} {t.Exception}"));
            for (var waited = 0; running!.BytesRead < bytes && waited < 2400; waited++) await Task.Delay(50);
            Assert.Equal(bytes, running.BytesRead); // all three staged while the productions wait
            await using (var session = Catalog.Store.QuerySession())
                Assert.Equal(0, await session.Query<AssetView<ImageMetadata>>().CountAsync());
        }
        var done = await import;

        Assert.Equal(3, done.Counts[ImportOutcome.Registered]);
        Assert.Contains("was deleted from the catalog", Entry(done, "prod_gone.json"));
        Assert.Equal("prod_new", (await One<ImageMetadata>("a.png")).ProductionId);
        Assert.Null((await One<ImageMetadata>("g.png")).ProductionId);
        Assert.Equal(("prod_clips", "clip_9"), ((await One<ImageMetadata>("clip_9_end.png")).ProductionId, (await One<ImageMetadata>("clip_9_end.png")).Metadata.ClipId));
    }

    /// <summary>Two imports of one folder at once: each production is created once, by one of them; neither fails.</summary>
    [Fact]
    public async Task two_imports_racing_over_the_same_productions_create_each_once_and_neither_fails()
    {
        for (var i = 0; i < 40; i++)
            PutText($"data/productions/prod_{i:00}.json", $$"""{ "id": "prod_{{i:00}}", "title": "production {{i}}" }""");

        var reports = await Task.WhenAll(Task.Run(() => ImportFolderAsync()), Task.Run(() => ImportFolderAsync()));

        Assert.All(reports, r => Assert.True(r.Ok, string.Join("\n", r.Entries)));
        Assert.Equal(40, reports.Sum(r => r.ProductionsCreated));
        Assert.All(reports, r => Assert.Equal(40, r.ProductionsCreated + r.ProductionsSkipped));
        await using (var session = Catalog.Store.QuerySession())
            Assert.Equal(40, await session.Query<ProductionView>().CountAsync());
        Assert.Equal(40L, (await ImportedProductionEventsAsync()).Events);
    }

    /// <summary>The <c>production.imported</c> events, and how many transactions wrote them.</summary>
    private async Task<(long Events, long Transactions)> ImportedProductionEventsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Catalog.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select count(*), count(distinct xmin::text) from {CatalogStore.SchemaName}.mt_events where type = 'production.imported'", connection);
        await using var rows = await command.ExecuteReaderAsync();
        await rows.ReadAsync();
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    [Fact]
    public async Task delete_source_removes_a_file_only_once_the_catalog_holds_its_bytes()
    {
        var a = Put("images/a.png", TestMedia.Png(seed: 1)); // the three folders directly under the root work too
        var b = Put("audio/b.wav", TestMedia.Wav());
        var bad = Put("images/bad.png", "not a png"u8.ToArray());

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, DeleteSource: true));

        Assert.Equal(2, report.SourcesDeleted);
        Assert.False(File.Exists(a));
        Assert.False(File.Exists(b));
        Assert.True(File.Exists(bad));
        var image = await One<ImageMetadata>("a.png");
        await using (var blob = await Catalog.Blobs.OpenReadAsync(image.Sha256, default))
            Assert.Equal(TestMedia.Sha256(TestMedia.Png(seed: 1)), Convert.ToHexStringLower(await SHA256.HashDataAsync(blob!)));

        // A file left behind by a run killed after its event (same bytes) is deleted by the next run; other bytes are kept.
        Put("images/a.png", TestMedia.Png(seed: 1));
        var c = Put("images/c.png", TestMedia.Png(seed: 3));
        await ImportFolderAsync(new FileImportOptions(Source.Path));
        Put("images/c.png", TestMedia.Png(seed: 4));
        var resumed = await ImportFolderAsync(new FileImportOptions(Source.Path, DeleteSource: true));
        Assert.False(File.Exists(Source["images/a.png"]));
        Assert.True(File.Exists(c));
        Assert.Equal(1, resumed.Counts[ImportOutcome.Conflict]);
    }

    [Fact]
    public async Task json_next_to_the_media_in_other_shapes_and_the_type_options()
    {
        PutFixture("data/videos/shot_7-take2.mp4", "clip-720p-24fps-3s.mp4");
        PutText("data/videos/prod_b.json",
            """{ "title": "B-side", "audioFilename": "none.wav", "createdAt": "2024-01-02T03:04:05Z", "storyboard_json": "{\"clips\":[{\"clip\":\"shot_7\"}]}" }""");
        PutText("data/videos/notes.json", """{ "todo": ["colour grade"] }""");
        PutText("data/videos/broken.json", """{ "id": "prod_c", """);

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, Types: new Dictionary<string, string> { ["video"] = "final" }));

        var video = await One<VideoMetadata>("shot_7-take2.mp4");
        Assert.Equal(("prod_b", "shot_7", "final"), (video.ProductionId, video.Metadata.ClipId, video.Metadata.VideoType));
        await using var session = Catalog.Store.QuerySession();
        var production = await session.LoadAsync<ProductionView>("prod_b"); // no id: the file's name
        Assert.Equal(("B-side", "none.wav", "draft", """{"clips":[{"clip":"shot_7"}]}"""),
            (production!.Title, production.AudioFilename, production.Status, production.StoryboardJson));
        Assert.StartsWith("not a production", Entry(report, "notes.json"));
        Assert.StartsWith("not valid JSON", Entry(report, "broken.json"));
        Assert.Contains("'none.wav', which is neither among the files nor in the catalog", Entry(report, "prod_b.json"));

        await Assert.ThrowsAsync<ImportFailedException>(() => ImportFolderAsync(new FileImportOptions(Source.Path, Types: new Dictionary<string, string> { ["image"] = "   " })));
        await Assert.ThrowsAsync<ImportFailedException>(() => ImportFolderAsync(new FileImportOptions(Source.Path, Types: new Dictionary<string, string> { ["image"] = "story\nboard" })));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => ImportFolderAsync(new FileImportOptions(Source["nothing-here"])));
    }

    /// <summary>An "ffprobe" that touches the file it is given (the source, through the importer's handle) before answering.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private MediaProbe TouchingFfprobe()
    {
        var ffprobe = Put("tools/ffprobe", System.Text.Encoding.UTF8.GetBytes("""
            #!/bin/sh
            for last; do :; done
            touch -d '2001-01-01 00:00:00' "$last"
            echo '{"streams":[{"codec_type":"video","width":160,"height":120,"avg_frame_rate":"10/1","duration":"1.0"}],"format":{"duration":"1.0"}}'
            """));
        File.SetUnixFileMode(ffprobe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new MediaProbe(ffprobe);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task a_file_written_to_while_it_is_probed_is_left_for_the_next_run_its_neighbours_kept()
    {
        PutFixture("data/videos/clip.mp4", "clip-720p-24fps-3s.mp4");
        var teaser = PutFixture("data/videos/teaser.ogv", "clip-120p-10fps-1s.ogv"); // Theora: the one file the probe hands to ffprobe
        var events = await EventCount();

        var report = await ImportFolderAsync(probe: TouchingFfprobe());

        Assert.Equal(1, report.Counts[ImportOutcome.Registered]);
        Assert.Equal("written to while it was imported: left for the next run", Entry(report, "teaser.ogv"));
        Assert.Equal(new DateTime(2001, 1, 1), File.GetLastWriteTime(teaser)); // the script did reach the source
        Assert.Equal(["clip.mp4"], (await All<VideoMetadata>()).Select(v => v.Filename));
        Assert.Equal(events + 1, await EventCount());

        var again = await ImportFolderAsync(probe: new MediaProbe(null));
        Assert.Equal((1, 1), (again.Counts[ImportOutcome.Registered], again.Counts[ImportOutcome.Skipped]));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(teaser))), (await One<VideoMetadata>("teaser.ogv")).Sha256);
    }

    [Fact]
    public async Task without_ffprobe_every_container_is_still_read_in_process()
    {
        PutFixture("data/videos/clip.mp4", "clip-720p-24fps-3s.mp4");
        PutFixture("data/videos/lyric.webm", "clip-480p-25fps-2s.webm");
        PutFixture("data/audio/song.mp3", "tone-32000-2s.mp3");
        PutFixture("data/audio/stem.flac", "tone-44100-2s.flac");
        PutFixture("data/videos/recording.mp4", "clip-180p-25fps-1s-fragmented.mp4"); // every sample in movie fragments
        PutFixture("data/videos/packaged.mp4", "clip-180p-30fps-1s-cmaf.mp4"); // CMAF: brand iso6, video and audio fragments
        PutFixture("data/audio/stem.oga", "tone-44100-1s-flac.oga"); // FLAC inside Ogg
        PutFixture("data/videos/teaser.ogv", "clip-120p-10fps-1s.ogv"); // Theora inside Ogg: a video, left to ffprobe

        var report = await ImportFolderAsync(probe: new MediaProbe(null));
        Assert.Equal(8, report.Counts[ImportOutcome.Registered]);

        var clip = (await One<VideoMetadata>("clip.mp4")).Metadata;
        Assert.Equal((3.0, "720p", (int?)24), (clip.Duration, clip.Resolution, clip.Fps));
        var lyric = (await One<VideoMetadata>("lyric.webm")).Metadata;
        Assert.Equal((2.0, "480p", (int?)25), (lyric.Duration, lyric.Resolution, lyric.Fps));
        var song = (await One<AudioMetadata>("song.mp3")).Metadata;
        Assert.Equal((2.052, (int?)32_000), (song.Duration, song.SampleRate));
        var stem = (await One<AudioMetadata>("stem.flac")).Metadata;
        Assert.Equal((2.0, (int?)44_100), (stem.Duration, stem.SampleRate));
        var recording = await One<VideoMetadata>("recording.mp4");
        Assert.Equal((1.0, "180p", (int?)25, "video/mp4"), (recording.Metadata.Duration, recording.Metadata.Resolution, recording.Metadata.Fps, recording.MimeType));
        var packaged = await One<VideoMetadata>("packaged.mp4");
        Assert.Equal((1.0, "180p", (int?)30, "video/mp4"), (packaged.Metadata.Duration, packaged.Metadata.Resolution, packaged.Metadata.Fps, packaged.MimeType));
        var oggFlac = (await One<AudioMetadata>("stem.oga")).Metadata;
        Assert.Equal((1.0, (int?)44_100), (oggFlac.Duration, oggFlac.SampleRate));
        var teaser = await One<VideoMetadata>("teaser.ogv");
        Assert.Equal(("video/ogg", null), (teaser.MimeType, teaser.Metadata.Duration)); // no ffprobe here: its columns stay empty
    }

    private static string Sha(string path) => TestMedia.Sha256(File.ReadAllBytes(path));

    private sealed class Inline(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }
}
