using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Domain.Assets;
using Catalog.Projections;
using Catalog.Projections.Views;

namespace Catalog.Api.Tests.History;

public sealed class RebuildingTheViews(CatalogApp app) : ApiTest(app)
{
    private static readonly string[] Answers =
    [
        "/api/gallery/images?limit=200", "/api/gallery/videos", "/api/gallery/audio", "/api/gallery/productions",
        "/api/gallery/images?type=reference", "/api/gallery/images?production_id=prod_b", "/api/gallery/production/prod_b",
        "/api/gallery/search?q=neon", "/api/gallery/search?q=Van+Williams&type=productions", "/api/gallery/search?q=Van+Williams&type=images",
    ];

    private async Task<List<string>> Read() =>
        (await Task.WhenAll(Answers.Select(async url => $"{url} → {await (await Client.GetAsync(url)).Content.ReadAsStringAsync()}"))).ToList();

    private async Task FillAsync()
    {
        await Client.CreatedProduction("prod_a");
        await Client.CreatedProduction("prod_b", "Neon nights", "Van Williams");
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_b/status", new { status = "generating" })).Json(HttpStatusCode.OK);
        for (var i = 0; i < 6; i++)
            await Client.RegisteredImage($"r{i}.png", i % 2 == 0 ? "prod_b" : "prod_a", seed: i, type: i % 3 == 0 ? "reference" : "generated", prompt: $"neon frame {i}");
        var moved = await Client.RegisteredVideo("m.mp4", "prod_a");
        await (await Client.SendJson(HttpMethod.Put, $"/api/videos/{moved.Long("id")}/production", new { production_id = "prod_b" })).Json(HttpStatusCode.OK);
        await Client.RegisteredAudio("a.wav", "prod_a");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_a")).StatusCode);
    }

    [Fact]
    public async Task dropped_views_rebuilt_from_the_events_give_identical_answers()
    {
        await FillAsync();
        var before = await Read();
        Assert.All(before, answer => Assert.DoesNotContain("\"trace_id\":", answer)); // answers, not problems

        foreach (var type in new[] { typeof(ProductionView), typeof(AssetView<ImageMetadata>), typeof(AssetView<VideoMetadata>), typeof(AssetView<AudioMetadata>) })
            await App.Store.Advanced.Clean.DeleteDocumentsByTypeAsync(type);
        Assert.NotEqual(before, await Read());

        var rebuilt = await Client.SendJson(HttpMethod.Post, "/api/admin/rebuild", null);
        Assert.Equal(4, (await rebuilt.Json(HttpStatusCode.OK)).GetProperty("projections").GetArrayLength());

        Assert.Equal(before, await Read());
    }

    [Fact]
    public async Task side_tables_made_anew_at_start_are_filled_from_the_views()
    {
        // A catalog from before the search table (or one whose side tables were lost): the start fills them from the views.
        await FillAsync();
        var before = await Read();
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("drop table catalog.asset_search; drop table catalog.view_totals", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await App.Store.ApplySchemaAsync();

        Assert.Equal(before, await Read());
    }

    [Fact]
    public async Task a_catalog_with_the_counts_of_earlier_builds_gets_counts_and_bytes_in_their_place()
    {
        await FillAsync();
        var before = await Read();
        var stats = await Client.GetJson("/api/gallery/stats");
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            // What an earlier build left: counts without bytes, their bump function, their truncate triggers' function.
            await using var legacy = new Npgsql.NpgsqlCommand("""
                drop table catalog.view_totals;
                create table catalog.view_counts (view_name text, grp text, production_id text, count bigint, primary key (view_name, grp, production_id));
                create function catalog.view_counts_bump(v text, g text, p text, delta bigint) returns void language sql as 'select 1';
                create function catalog.view_counts_forget() returns trigger language plpgsql as 'begin return null; end';
                """, connection);
            await legacy.ExecuteNonQueryAsync();
        }

        await App.Store.ApplySchemaAsync();

        Assert.Equal(before, await Read());
        var after = await Client.GetJson("/api/gallery/stats");
        foreach (var figure in new[] { "images", "videos", "audio", "productions" })
            Assert.Equal(stats.GetProperty(figure).GetRawText(), after.GetProperty(figure).GetRawText());
        Assert.Equal(stats.Long("storage_bytes"), after.Long("storage_bytes"));
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var left = new Npgsql.NpgsqlCommand(
                "select to_regclass('catalog.view_counts') is null and to_regprocedure('catalog.view_counts_bump(text,text,text,bigint)') is null", connection);
            Assert.True((bool)(await left.ExecuteScalarAsync())!);
        }
    }
}
