using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Projections.Views;
using Catalog.Testing;
using Npgsql;

namespace Catalog.Api.Tests.Browsing;

public sealed class Statistics(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task counts_bytes_statuses_and_recent_activity()
    {
        await Client.CreatedProduction("prod_s");
        await Client.CreatedProduction("prod_t");
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_t/status", new { status = "generating" })).Json(HttpStatusCode.OK);
        await Client.RegisteredImage("g1.png", seed: 1);
        await Client.RegisteredImage("g2.png", seed: 2);
        await Client.RegisteredImage("r1.png", seed: 3, type: "reference");
        await Client.RegisteredVideo("v.mp4", "prod_s", type: "lipsync");
        var audio = await Client.RegisteredAudio("a.wav");

        var stats = await Client.GetJson("/api/gallery/stats");

        var images = stats.GetProperty("images");
        var pngBytes = new[] { 1, 2, 3 }.Sum(seed => (long)TestMedia.Png(seed: seed).Length);
        Assert.Equal(3, images.Long("count"));
        Assert.Equal(pngBytes, images.Long("bytes"));
        Assert.Equal(2, images.GetProperty("by_type").GetProperty("generated").Long("count"));
        Assert.Equal(TestMedia.Png(seed: 3).Length, images.GetProperty("by_type").GetProperty("reference").Long("bytes"));
        Assert.Equal(0, images.GetProperty("by_type").GetProperty("thumbnail").Long("count"));
        Assert.Equal(1, stats.GetProperty("videos").GetProperty("by_type").GetProperty("lipsync").Long("count"));
        Assert.Equal(TestMedia.Mp4().Length, stats.GetProperty("videos").Long("bytes"));
        Assert.Equal(audio.Long("file_size"), stats.GetProperty("audio").Long("bytes"));
        Assert.Equal(pngBytes + TestMedia.Mp4().Length + audio.Long("file_size"), stats.Long("storage_bytes"));

        var productions = stats.GetProperty("productions");
        Assert.Equal(2, productions.Long("count"));
        Assert.Equal(1, productions.GetProperty("by_status").Long("draft"));
        Assert.Equal(1, productions.GetProperty("by_status").Long("generating"));
        Assert.Equal(0, productions.GetProperty("by_status").Long("completed"));

        var activity = stats.GetProperty("recent_activity");
        Assert.Equal(8, activity.Long("last_24_hours"));
        Assert.Equal(8, activity.Long("last_7_days"));
        var latest = activity.GetProperty("latest").EnumerateArray().ToList();
        Assert.Equal(8, latest.Count);
        Assert.Equal("audio", latest[0].Str("kind"));
        Assert.Equal(audio.Long("id").ToString(), latest[0].Str("id"));
        Assert.Equal("audio.registered", latest[0].Str("event"));
        Assert.Equal("tests", latest[0].Str("by")); // the name of the key the tests send
        Assert.Equal("production.created", latest[^1].Str("event"));
    }

    [Fact]
    public async Task the_figures_the_triggers_keep_equal_the_views_sums_after_every_kind_of_change_and_show_at_once()
    {
        await Client.CreatedProduction("prod_u");
        await Client.CreatedProduction("prod_v");
        var images = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            images.Add((await Client.RegisteredImage($"f{i}.png", i % 2 == 0 ? "prod_u" : null, seed: 10 + i, type: i % 3 == 0 ? "reference" : "generated")).Long("id"));
            // Each change shows in the very next reading: no lag.
            Assert.Equal(i + 1, (await Client.GetJson("/api/gallery/stats")).GetProperty("images").Long("count"));
        }
        var video = await Client.RegisteredVideo("u.mp4", "prod_u");
        await (await Client.SendJson(HttpMethod.Patch, $"/api/images/{images[1]}", new { image_type = "storyboard frame" })).Json(HttpStatusCode.OK);
        await (await Client.SendJson(HttpMethod.Put, $"/api/images/{images[3]}/production", new { production_id = "prod_v" })).Json(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{images[5]}")).StatusCode);
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_v/status", new { status = "generating" })).Json(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_u")).StatusCode); // cascades: 3 images, the video
        await (await Client.SendJson(HttpMethod.Post, $"/api/images/{images[5]}/restore", null)).Json(HttpStatusCode.OK);

        var stats = await Client.GetJson("/api/gallery/stats");

        await using var connection = App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        foreach (var (kind, table) in new[] { (Domain.Assets.AssetKind.Image, "images"), (Domain.Assets.AssetKind.Video, "videos") })
        {
            await using var sums = new NpgsqlCommand(
                $"select type, count(*), sum(file__size)::bigint from {QuerySchema.Tables.Assets(kind)} group by type", connection);
            var expected = new Dictionary<string, (long, long)>();
            await using (var reader = await sums.ExecuteReaderAsync())
                while (await reader.ReadAsync()) expected[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            var byType = stats.GetProperty(table).GetProperty("by_type").EnumerateObject()
                .Where(t => t.Value.Long("count") > 0).ToDictionary(t => t.Name, t => (t.Value.Long("count"), t.Value.Long("bytes")));
            Assert.Equal(expected.OrderBy(e => e.Key), byType.OrderBy(e => e.Key));
            Assert.Equal(expected.Values.Sum(v => v.Item2), stats.GetProperty(table).Long("bytes"));
        }
        Assert.Equal(3, stats.GetProperty("images").Long("count")); // f1 (storyboard frame), f3 (moved out), f5 (restored)
        Assert.Equal(0, stats.GetProperty("videos").Long("count"));
        Assert.Equal(1, stats.GetProperty("productions").Long("count"));
        Assert.Equal(1, stats.GetProperty("productions").GetProperty("by_status").Long("generating"));
    }

    [Fact]
    public async Task the_events_per_hour_follow_every_append_from_any_connection_and_are_refilled_when_lost()
    {
        await Client.CreatedProduction("prod_w");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Client.RegisteredImage($"w{i}.png", "prod_w", seed: 40 + i)));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_w")).StatusCode);

        await using var connection = App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        async Task<(long Kept, long Counted)> Sums()
        {
            await using var command = new NpgsqlCommand(
                $"select (select coalesce(sum(count), 0) from {ActivityHours.Table})::bigint, " +
                $"(select count(*) from {QuerySchema.Tables.Events} where stream_id <> '{Catalog.Projections.CatalogStore.TombstoneStream}')", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }

        var (kept, counted) = await Sums();
        Assert.Equal(18, counted); // created, 8 registered, 8 trashed with it, the production trashed
        Assert.Equal(counted, kept);
        Assert.Equal(counted, (await Client.GetJson("/api/gallery/stats")).GetProperty("recent_activity").Long("last_7_days"));

        await using (var drop = new NpgsqlCommand($"drop table {ActivityHours.Table}", connection)) await drop.ExecuteNonQueryAsync();
        await Catalog.Projections.CatalogStore.ApplySchemaAsync(App.Store);
        Assert.Equal((counted, counted), await Sums());
    }

    [Fact]
    public async Task deletes_and_cascades_leave_the_figures_but_count_as_activity()
    {
        await Client.CreatedProduction("prod_c");
        await Client.RegisteredImage("c.png", "prod_c");
        await Client.RegisteredVideo("c.mp4", "prod_c");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_c")).StatusCode);

        var stats = await Client.GetJson("/api/gallery/stats");
        Assert.Equal(0, stats.GetProperty("images").Long("count"));
        Assert.Equal(0, stats.GetProperty("videos").Long("count"));
        Assert.Equal(0, stats.GetProperty("productions").Long("count"));
        Assert.Equal(0, stats.Long("storage_bytes"));
        Assert.Equal(6, stats.GetProperty("recent_activity").Long("last_24_hours"));
    }

    [Fact]
    public async Task every_type_and_status_present_is_counted_beside_the_well_known_ones()
    {
        await Client.RegisteredImage("board.png", seed: 1, type: "storyboard");
        await Client.RegisteredAudio("fx.wav", type: "sfx");
        await (await Client.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_old", status = "archived" })).Json(HttpStatusCode.Created);

        var stats = await Client.GetJson("/api/gallery/stats");

        var images = stats.GetProperty("images").GetProperty("by_type");
        Assert.Equal(["generated", "reference", "storyboard", "thumbnail"], images.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(1, images.GetProperty("storyboard").Long("count"));
        Assert.Equal(1, stats.GetProperty("audio").GetProperty("by_type").GetProperty("sfx").Long("count"));
        var statuses = stats.GetProperty("productions").GetProperty("by_status");
        Assert.Equal((1L, 0L), (statuses.Long("archived"), statuses.Long("draft")));
    }

    [Fact]
    public async Task failed_commands_are_not_activity()
    {
        await Client.RegisteredImage("dup.png");
        await (await Client.Register("images", TestMedia.Png(seed: 9), "dup.png", new Dictionary<string, string> { ["image_type"] = "generated" }))
            .Problem(HttpStatusCode.Conflict);
        var activity = (await Client.GetJson("/api/gallery/stats")).GetProperty("recent_activity");
        Assert.Equal(1, activity.Long("last_24_hours"));
        Assert.Single(activity.GetProperty("latest").EnumerateArray());
    }
}

/// <summary>
/// The stats are given again from memory while they are exact (the read cache): an append by any writer, even one that
/// changes no view, is in the next reading, and so is an event leaving the recent activity's window with no write at all.
/// </summary>
public sealed class StatisticsExactlyAsFresh(CatalogApp app) : ApiTest(app)
{
    private const string Events = QuerySchema.Tables.Events;

    private async Task<(long Day, long Week, List<string> Latest)> ActivityAsync()
    {
        var activity = (await Client.GetJson("/api/gallery/stats")).GetProperty("recent_activity");
        return (activity.Long("last_24_hours"), activity.Long("last_7_days"),
            activity.GetProperty("latest").EnumerateArray().Select(e => e.Str("by")).ToList());
    }

    [Fact]
    public async Task an_event_appended_by_another_writer_without_a_view_change_is_in_the_next_reading()
    {
        await Client.RegisteredImage("e1.png", seed: 1);
        for (var i = 0; i < 3; i++) Assert.Equal((1L, 1L), ((await ActivityAsync()).Day, (await ActivityAsync()).Week));

        // Another writer appends to the image's stream and writes no view.
        await ElsewhereAsync($"""
            insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
            select nextval('{Catalog.Projections.CatalogStore.SchemaName}.mt_events_sequence'), gen_random_uuid(), stream_id, version + 1,
                   data, type, now(), tenant_id, mt_dotnet_type, 'elsewhere'
              from {Events} order by seq_id desc limit 1
            """);

        var (day, week, latest) = await ActivityAsync();
        Assert.Equal((2L, 2L), (day, week));
        Assert.Equal("elsewhere", latest[0]);
    }

    [Fact]
    public async Task an_event_leaving_the_last_24_hours_leaves_the_next_reading_with_no_write_in_between()
    {
        await Client.RegisteredImage("old.png", seed: 2);
        await Client.RegisteredImage("new.png", seed: 3);

        // The first event as if appended 24 hours less 8 seconds ago, its hour's count moved with it (as the trigger
        // would have kept it then).
        await using var connection = App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        async Task<double> ScalarAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToDouble(await command.ExecuteScalarAsync());
        }
        var first = (long)await ScalarAsync($"select min(seq_id) from {Events}");
        var moved = await ScalarAsync($"""
            with was as (select timestamp from {Events} where seq_id = {first}),
            fewer as (update {ActivityHours.Table} set count = count - 1
                       where (hour, slot) = (select hour, slot from {ActivityHours.Table}
                                              where hour = date_trunc('hour', (select timestamp from was)) and count > 0 limit 1)
                       returning 1),
            moved as (update {Events} set timestamp = now() - interval '24 hours' + interval '8 seconds' where seq_id = {first}
                       returning timestamp)
            insert into {ActivityHours.Table} as h (hour, slot, count) select date_trunc('hour', timestamp), 0, 1 from moved
            on conflict (hour, slot) do update set count = h.count + 1
            returning (select count(*) from fewer)
            """);
        Assert.Equal(1, moved); // one event taken from its hour's count
        await ViewChanges.SettleAsync();

        Assert.Equal((2L, 2L), ((await ActivityAsync()).Day, (await ActivityAsync()).Week)); // read, and given again

        var leavesIn = await ScalarAsync($"select extract(epoch from timestamp + interval '24 hours' - now()) from {Events} where seq_id = {first}");
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, leavesIn)) + TimeSpan.FromMilliseconds(200));

        var (day, week, _) = await ActivityAsync();
        Assert.Equal((1L, 2L), (day, week));
    }
}

/// <summary>The names the query SQL relies on exist in the real schema, and the indexes the lists use are there.</summary>
public sealed class QuerySchemaInTheDatabase(CatalogApp app) : ApiTest(app)
{
    private async Task<List<string>> Strings(string sql)
    {
        await using var connection = App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    [Theory]
    [InlineData("mt_doc_image_view")]
    [InlineData("mt_doc_video_view")]
    [InlineData("mt_doc_audio_view")]
    public async Task asset_views_have_the_duplicated_columns_and_list_indexes(string table)
    {
        var columns = await Strings($"select column_name from information_schema.columns where table_schema = 'catalog' and table_name = '{table}'");
        Assert.Contains(QuerySchema.Columns.Type, columns);
        Assert.Contains(QuerySchema.Columns.CreatedAt, columns);
        Assert.Contains(QuerySchema.Columns.ProductionId, columns);
        Assert.Contains(QuerySchema.Columns.FileSize, columns);

        var kind = table["mt_doc_".Length..^"_view".Length];
        var indexes = await Strings($"select indexname from pg_indexes where schemaname = 'catalog' and tablename = '{table}'");
        Assert.Contains($"ix_{kind}_view_type_created", indexes);
        Assert.Contains($"ix_{kind}_view_created", indexes);
        Assert.Contains($"ix_{kind}_view_production_created", indexes);
    }

    [Fact]
    public async Task search_and_activity_indexes_exist()
    {
        var indexes = await Strings("select indexname from pg_indexes where schemaname = 'catalog'");
        Assert.Contains("ix_asset_search_text", indexes);
        Assert.Contains("ix_production_view_search", indexes);
        Assert.Contains("ix_production_view_status_created", indexes);
        Assert.Contains(QuerySchema.EventsTimestampIndex, indexes);
        Assert.Contains(QuerySchema.Columns.Status,
            await Strings("select column_name from information_schema.columns where table_schema = 'catalog' and table_name = 'mt_doc_production_view'"));
    }

    [Fact]
    public async Task the_search_reads_its_indexes_not_every_row()
    {
        // With sequential scans priced out, a plan that still scans a table would mean the query's expression is not its index's.
        // (How it runs at 100,000 assets is in BENCHMARKS.md: bench/query-load.sh.)
        var targets = Projections.Queries.SearchTarget.All;
        var sql = Projections.Queries.CatalogSearch.PageSql(targets).Replace("$1", "'van williams'").Replace("$2", "50").Replace("$3", "0");
        await using var connection = App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain " + sql, connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        Assert.Contains(plan, line => line.Contains("ix_asset_search_text"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on asset_search"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on mt_doc_production_view"));
        Assert.Contains(plan, line => line.Contains("ix_production_view_search"));
    }
}
