using Catalog.Application.Assets;
using Catalog.Domain.Assets;
using Catalog.Importer;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections;
using Catalog.Projections.Views;
using Catalog.Testing;
using Marten;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Catalog.Importer.Tests;

/// <summary>
/// A group commit writes its registrations in bulk (<see cref="NewAssetStreams"/>: a statement per table, not Marten's
/// append and inline projection per file). What it writes must be what Marten writes: the same streams, events, view rows,
/// totals and search words, so history, time travel, later commands and a rebuild cannot tell the two apart.
/// </summary>
public sealed class RegisteringAGroupInBulk(CatalogFixture fixture) : ImportTest(fixture)
{
    [Fact]
    public async Task a_group_writes_the_rows_marten_writes_for_each_file_alone()
    {
        PutMixedFolder();

        // Alone: groups of one file go through Marten's append and inline projections.
        var alone = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 1, Parallelism: 1, CommitsInFlight: 1));
        var marten = await RowsAsync();
        await Catalog.ResetAsync();
        // In bulk: one group for every file.
        var bulk = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 100, Parallelism: 1, CommitsInFlight: 1));
        var written = await RowsAsync();

        Assert.True(alone.Ok && bulk.Ok, string.Join("\n", alone.Entries.Concat(bulk.Entries)));
        Assert.Equal(9, bulk.Counts[ImportOutcome.Registered]);
        foreach (var (table, rows) in marten)
        {
            Assert.NotEmpty(rows);
            Assert.Equal(rows, written[table]);
        }
    }

    [Fact]
    public async Task assets_registered_in_bulk_take_later_commands_keep_their_history_and_rebuild_to_the_same_views()
    {
        PutMixedFolder();
        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 100));
        Assert.True(report.Ok, string.Join("\n", report.Entries));
        var frame = await One<ImageMetadata>("frame_1.png");
        var song = await One<AudioMetadata>("song.wav");
        Assert.Equal("prod_night", frame.ProductionId);

        // Commands through Marten on streams written in bulk: Marten reads their version and state from the rows.
        await Catalog.SendAsync(new CorrectAssetMetadata<ImageMetadata>(frame.Id,
            new Dictionary<string, object?> { ["image_type"] = "final", ["prompt"] = "a neon street at night" }, ExpectedVersion: 1));
        await Catalog.SendAsync(new DetachAsset<ImageMetadata>(frame.Id));
        await Catalog.SendAsync(new DeleteAsset<AudioMetadata>(song.Id));
        await Catalog.SendAsync(new RestoreAsset<AudioMetadata>(song.Id));

        var corrected = await One<ImageMetadata>("frame_1.png");
        Assert.Equal(("final", null, 3L), (corrected.Type, corrected.ProductionId, corrected.StreamVersion));
        await using (var session = Catalog.Store.QuerySession())
        {
            var history = await session.Events.FetchStreamAsync(Asset<ImageMetadata>.StreamKey(frame.Id));
            Assert.Equal(["image.registered", "image.metadata_corrected", "image.detached_from_production"], history.Select(e => e.EventTypeName));
            Assert.Equal("importer", history[0].UserName);
            Assert.StartsWith("import-fs ", history[0].Headers![CatalogStore.ReasonHeader].ToString());
        }
        // The search finds the corrected prompt; the totals count the moved and restored rows where they now are.
        var before = await RowsAsync(revisions: false);
        Assert.Contains(before[SearchIndex.Table], r => r.Contains("'neon'"));
        Assert.Contains(before[ViewCounts.Table], r => r.StartsWith("mt_doc_image_view|final||1|"));

        await Catalog.Store.RebuildViewsAsync();

        var rebuilt = await RowsAsync(revisions: false);
        foreach (var table in new[] { "views", ViewCounts.Table, SearchIndex.Table }) Assert.Equal(string.Join("\n", before[table]), string.Join("\n", rebuilt[table]));
    }

    /// <summary>
    /// The events' timestamps (what the history and time travel read) and the facts in them (when registered) come from the
    /// store's clock, for files registered one by one (Marten's append) as in a group (the bulk rows): here a store whose
    /// clock stands at an instant years back, which the system's clock is not.
    /// </summary>
    [Fact]
    public async Task alone_or_in_a_group_the_events_take_the_stores_clock()
    {
        PutMixedFolder();
        var instant = new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);
        await using var store = DocumentStore.For(o => o.ConfigureCatalog(Catalog.ConnectionString, new FakeTimeProvider(instant)));
        foreach (var batchFiles in new[] { 1, 100 })
        {
            await Catalog.ResetAsync();
            var report = await FileSystemImport.RunAsync(store, Catalog.Blobs, Probe, long.MaxValue,
                new FileImportOptions(Source.Path, BatchFiles: batchFiles, CommitsInFlight: 1), "importer", null, default);
            Assert.True(report.Ok, string.Join("\n", report.Entries));

            await using var session = store.QuerySession();
            var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamKey != CatalogStore.TombstoneStream).ToListAsync();
            Assert.Equal(10, events.Count); // the production and nine files
            Assert.All(events, e => Assert.Equal(instant, e.Timestamp));
            var registeredAt = events.Select(e => e.Data.GetType().GetProperty("RegisteredAt")?.GetValue(e.Data)).OfType<DateTimeOffset>().ToList();
            Assert.Equal(9, registeredAt.Count);
            Assert.All(registeredAt, at => Assert.Equal(instant, at));
        }
    }

    /// <summary>
    /// Names wider than the examples go through the bulk statements as data: quotes, the statements' own parameter marker
    /// (<c>^</c>) and SQL's (<c>?</c>), LIKE's wildcards, accents, an emoji, a name of 200 characters.
    /// </summary>
    [Fact]
    public async Task unusual_filenames_are_registered_in_bulk_as_they_are()
    {
        string[] names = ["it's a \"take\" ^1 ?.png", "50%_off.png", "été ☀ nuit.png", "semi;colon -- dash.png", new string('x', 196) + ".png"];
        for (var i = 0; i < names.Length; i++) Put($"data/images/{names[i]}", TestMedia.Png(seed: 600 + i));

        var report = await ImportFolderAsync(new FileImportOptions(Source.Path, BatchFiles: 100));

        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(names.Length, report.Counts[ImportOutcome.Registered]);
        for (var i = 0; i < names.Length; i++)
            Assert.Equal(TestMedia.Sha256(TestMedia.Png(seed: 600 + i)), (await One<ImageMetadata>(names[i])).Sha256);
        var rows = await RowsAsync();
        Assert.Contains(rows[SearchIndex.Table], r => r.Contains("'nuit'"));
        Assert.Equal(names.Length, rows[QuerySchema.Tables.Events].Count);
    }

    /// <summary>
    /// Two imports at once into one catalog, each committing batches of images, clips and tracks mixed, two batches in flight
    /// each: every file is registered and the totals the statement triggers keep are the views' own counts and bytes.
    /// </summary>
    [Fact]
    public async Task two_imports_of_mixed_kinds_at_once_register_every_file_and_keep_the_totals_exact()
    {
        for (var i = 0; i < 12; i++)
        {
            Put($"data/images/a_{i:00}.png", TestMedia.Png(seed: 800 + i));
            Put($"data/audio/a_{i:00}.wav", TestMedia.Wav(seconds: 0.1 + i / 100.0));
            // the second import's folder, beside the first's data/ (which it is not under)
            Put($"other/data/images/b_{i:00}.png", TestMedia.Png(seed: 900 + i));
            Put($"other/data/audio/b_{i:00}.wav", TestMedia.Wav(seconds: 0.3 + i / 100.0));
        }
        // Batches of 5 files: the batch where the scan passes from one kind's folder to the other's holds both kinds.
        Task<ImportReport> Import(string root) => ImportFolderAsync(new FileImportOptions(root, BatchFiles: 5, CommitsInFlight: 2));

        var reports = await Task.WhenAll(Import(Source.Path), Import(Source["other"]));

        foreach (var report in reports)
        {
            Assert.True(report.Ok, string.Join("\n", report.Entries));
            Assert.Equal(24, report.Counts[ImportOutcome.Registered]);
        }
        Assert.Equal((24, 24), ((await All<ImageMetadata>()).Count, (await All<AudioMetadata>()).Count));
        await using var connection = new NpgsqlConnection(Catalog.ConnectionString);
        await connection.OpenAsync();
        foreach (var kind in AssetKinds.All)
        {
            var table = QuerySchema.Tables.Assets(kind.Kind);
            var name = table[(CatalogStore.SchemaName.Length + 1)..];
            // The totals kept by the triggers, and the same figures counted from the view's rows: no row in one and not the other.
            await using var command = new NpgsqlCommand($"""
                with kept as (select grp, production_id, count, bytes from {ViewCounts.Table}
                               where view_name = '{name}' and (count <> 0 or bytes <> 0)),
                     counted as (select coalesce(type, ''), coalesce(production__id, ''), count(*), sum(file__size) from {table}
                                  group by grouping sets ((), (type), (production__id), (type, production__id))
                                 having (grouping(production__id) = 1 or production__id is not null) and count(*) > 0)
                select count(*) from ((table kept except all table counted) union all (table counted except all table kept)) d
                """, connection);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }
    }

    /// <summary>Nine files of three kinds and five formats, three of them in a production.</summary>
    [Fact]
    public async Task a_groups_events_are_sent_while_its_bytes_are_flushed_and_committed_only_once_they_are_durable()
    {
        PutMixedFolder();
        long before;
        var flush = new HeldFlush(Catalog.Blobs);
        var importing = FileSystemImport.RunAsync(Catalog.Store, flush, Probe, long.MaxValue,
            new FileImportOptions(Source.Path, BatchFiles: 100, CommitsInFlight: 1), "importer", null, CancellationToken.None);

        try
        {
            await flush.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // The flush is held: the group's statements are sent meanwhile (its transaction waits, open) ...
            await SentAsync();
            before = await EventCount(); // the production's, committed before the files
            await Task.Delay(300);
            // ... and nothing is committed before its bytes are durable.
            Assert.Equal(1, before);
            Assert.Equal(before, await EventCount());
            Assert.Empty(await All<ImageMetadata>());
        }
        finally
        {
            flush.Release.TrySetResult();
        }
        var report = await importing;
        Assert.True(report.Ok, string.Join("\n", report.Entries));
        Assert.Equal(9, report.Counts[ImportOutcome.Registered]);
        Assert.Equal(6, (await All<ImageMetadata>()).Count);
        Assert.Equal(before + 9, await EventCount());
    }

    [Fact]
    public async Task a_flush_that_fails_after_the_events_were_sent_appends_none_of_them()
    {
        PutMixedFolder();
        var flush = new HeldFlush(Catalog.Blobs, fail: true);
        var importing = FileSystemImport.RunAsync(Catalog.Store, flush, Probe, long.MaxValue,
            new FileImportOptions(Source.Path, BatchFiles: 100, CommitsInFlight: 1), "importer", null, CancellationToken.None);
        long before;
        try
        {
            await flush.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await SentAsync();
            before = await EventCount();
        }
        finally
        {
            flush.Release.TrySetResult(); // the flush fails: the disk refused the bytes
        }
        Assert.NotNull(await Record.ExceptionAsync(() => importing));

        Assert.Equal(before, await EventCount());
        Assert.Empty(await All<ImageMetadata>());
        Assert.Empty(await All<AudioMetadata>());
        Assert.Equal(0, await IdleInTransactionAsync()); // rolled back, its connection closed
    }

    /// <summary>Waits (30 s at most) until one connection holds a transaction open with its statements sent: the group's, its flush held.</summary>
    private async Task SentAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await IdleInTransactionAsync(sent: true) != 1)
        {
            Assert.True(DateTime.UtcNow < until, "The group's statements were not sent while its bytes were flushed.");
            await Task.Delay(20);
        }
    }

    /// <summary>Connections of the catalog's database with a transaction open and no statement running; with <paramref name="sent"/>, only
    /// those whose last statement was not the sweep's hold-off (the first of a group's commit): the group's writes were sent.</summary>
    private async Task<long> IdleInTransactionAsync(bool sent = false)
    {
        await using var session = Catalog.Store.QuerySession();
        return (await session.QueryAsync<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()"
            + (sent ? " and query not like '%pg_advisory_xact_lock_shared%'" : ""))).Single();
    }

    /// <summary>The catalog's blob store, whose flush of a group (<see cref="IBlobStore.CommitAllAsync"/>) waits until released — and
    /// then fails, as a disk that refuses the bytes does, when <paramref name="fail"/>.</summary>
    private sealed class HeldFlush(IBlobStore store, bool fail = false) : IBlobStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task CommitAllAsync(IReadOnlyCollection<StagedBlob> staged, CancellationToken ct)
        {
            Entered.TrySetResult();
            await Release.Task;
            if (fail) throw new IOException("No space left on device");
            await store.CommitAllAsync(staged, ct);
        }

        public Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken ct, bool flush = true) => store.StageAsync(content, maxBytes, ct, flush);
        public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct) => store.OpenReadAsync(sha256, ct);
        public Task<Stream?> OpenForServingAsync(string sha256, CancellationToken ct) => store.OpenForServingAsync(sha256, ct);
        public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => store.ExistsAsync(sha256, ct);
        public IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken ct) => store.ListAsync(ct);
        public Task DeleteAsync(string sha256, CancellationToken ct) => store.DeleteAsync(sha256, ct);
        public Task<int> RemoveAbandonedStagingAsync(CancellationToken ct) => store.RemoveAbandonedStagingAsync(ct);
    }

    private void PutMixedFolder()
    {
        for (var i = 0; i < 4; i++) Put($"data/images/frame_{i}.png", TestMedia.Png(seed: 700 + i));
        Put("data/images/still.jpg", TestMedia.Photo("jpeg", 320, 200));
        Put("data/images/still.webp", TestMedia.Photo("webp", 160, 90));
        Put("data/videos/clip.mp4", TestMedia.Mp4());
        Put("data/audio/song.wav", TestMedia.Wav(seconds: 0.3));
        Put("data/audio/take_2.wav", TestMedia.Wav(seconds: 0.2, frequency: 220));
        PutText("data/productions/prod_night.json", """
            { "id": "prod_night", "title": "Night Drive", "artist": "Van Williams", "status": "draft",
              "storyboard": { "scenes": [ { "image": "data/images/frame_1.png", "video": "data/videos/clip.mp4" } ] },
              "audio": "data/audio/song.wav" }
            """);
    }

    /// <summary>
    /// What the registrations wrote, table by table, each row as text in a fixed order: everything but what the clock or
    /// the run sets (registration times, event and row timestamps, event ids, the run's correlation id).
    /// </summary>
    /// <param name="revisions">With what a rebuild does not write as the inline path does: the views' <c>mt_version</c> (a
    /// rebuild writes Marten's own numbering there) and the totals that fell back to zero (a rebuild counts afresh).</param>
    private async Task<Dictionary<string, List<string>>> RowsAsync(bool revisions = true)
    {
        var views = string.Join(" union all ", AssetKinds.All.Select(k =>
            $"select '{k.Name}', id, (data - 'updated_at')::text, mt_dotnet_type, {(revisions ? "mt_version" : "0")}, type, created__at, production__id, file__size from {QuerySchema.Tables.Assets(k.Kind)}"));
        var queries = new Dictionary<string, string>
        {
            [QuerySchema.Tables.Streams] = $"select id, type, version, tenant_id, compacted_version, is_archived from {QuerySchema.Tables.Streams} where id not like 'production:%' order by id",
            [QuerySchema.Tables.Events] = $"""
                select row_number() over (order by seq_id), stream_id, version, (data - 'registered_at')::text, bdata, type, tenant_id, mt_dotnet_type,
                       regexp_replace(correlation_id, '^import-.*', 'import-*'), causation_id, headers, user_name, is_archived
                  from {QuerySchema.Tables.Events} where stream_id not like 'production:%' order by seq_id
                """,
            ["views"] = $"select * from ({views}) v order by 1, 2",
            [ViewCounts.Table] = $"select * from {ViewCounts.Table} where {(revisions ? "true" : "count <> 0 or bytes <> 0")} order by 1, 2, 3",
            [SearchIndex.Table] = $"select * from {SearchIndex.Table} order by 1, 2",
        };
        var rows = new Dictionary<string, List<string>>();
        await using var connection = new NpgsqlConnection(Catalog.ConnectionString);
        await connection.OpenAsync();
        foreach (var (table, sql) in queries)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var list = rows[table] = [];
            while (await reader.ReadAsync())
                list.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return rows;
    }
}
