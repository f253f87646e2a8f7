using System.Net;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections;
using Catalog.Projections.Legacy;
using Catalog.Testing;
using JasperFx.Events;
using Marten;

namespace Catalog.Api.Tests.History;

public sealed class TrashAndRestore(CatalogApp app) : ApiTest(app)
{
    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private async Task<List<string>> Types(string history) =>
        Items(await Client.GetJson(history)).Select(i => i.Str("type")).ToList();

    [Fact]
    public async Task a_deleted_image_waits_in_the_trash_and_comes_back_with_its_id_and_filename()
    {
        var image = await Client.RegisteredImage("back.png", prompt: "comet");
        var id = image.Long("id");
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/images/{id}") { Headers = { { "X-Actor", "eve" } } };
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(request)).StatusCode);

        var trash = Items(await Client.GetJson("/api/gallery/trash"));
        var entry = Assert.Single(trash);
        Assert.Equal(("image", id.ToString(), "back.png", "eve"), (entry.Str("kind"), entry.Str("id"), entry.Str("name"), entry.Str("trashed_by")));
        Assert.Equal($"/api/images/{id}/restore", entry.Str("restore_url"));
        Assert.True(DateTimeOffset.Parse(entry.Str("purge_after")) > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Equal(0, (await Client.GetJson("/api/gallery/search?q=comet")).Long("total"));
        Assert.Equal(0, (await Client.GetJson("/api/gallery/stats")).GetProperty("images").Long("count"));

        var restored = await (await Client.SendJson(HttpMethod.Post, $"/api/images/{id}/restore", null)).Json(HttpStatusCode.OK);
        Assert.Equal(id, restored.Long("id"));
        Assert.Equal("back.png", restored.Str("filename"));
        Assert.Equal(image.Str("sha256"), restored.Str("sha256"));
        Assert.Equal(image.Str("created_at"), restored.Str("created_at"));
        Assert.Equal(TestMedia.Png(), await (await Client.GetAsync($"/api/media/image/{id}")).Content.ReadAsByteArrayAsync());
        Assert.Equal(1, (await Client.GetJson("/api/gallery/search?q=comet")).Long("total"));
        Assert.Empty(Items(await Client.GetJson("/api/gallery/trash")));
        Assert.Equal(["image.registered", "image.trashed", "image.restored"], await Types($"/api/history/images/{id}"));

        await (await Client.SendJson(HttpMethod.Post, $"/api/images/{id}/restore", null)).Problem(HttpStatusCode.Conflict);
        await (await Client.SendJson(HttpMethod.Post, "/api/images/424242/restore", null)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_filename_taken_meanwhile_blocks_the_restore_and_nothing_is_appended()
    {
        var first = await Client.RegisteredImage("same.png", seed: 1);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{first.Long("id")}")).StatusCode);
        await Client.RegisteredImage("same.png", seed: 2);
        var count = await App.EventCount();

        Assert.Contains("was taken meanwhile", await (await Client.SendJson(HttpMethod.Post, $"/api/images/{first.Long("id")}/restore", null)).Problem(HttpStatusCode.Conflict));
        Assert.Equal(count, await App.EventCount());
    }

    [Fact]
    public async Task a_production_comes_back_with_the_assets_deleted_with_it_and_only_those()
    {
        await Client.CreatedProduction("prod_r", "Comeback");
        await (await Client.PutRaw("/api/productions/prod_r/storyboard", """{"scenes":[7]}""")).Json(HttpStatusCode.OK);
        var kept = await Client.RegisteredImage("with.png", "prod_r", seed: 1);
        var video = await Client.RegisteredVideo("with.mp4", "prod_r");
        var earlier = await Client.RegisteredImage("earlier.png", "prod_r", seed: 2);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{earlier.Long("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_r")).StatusCode);
        Assert.Equal(4, (await Client.GetJson("/api/gallery/trash")).Long("total"));

        Assert.Contains("restore the production first",
            await (await Client.SendJson(HttpMethod.Post, $"/api/images/{kept.Long("id")}/restore", null)).Problem(HttpStatusCode.Conflict));

        var back = await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_r/restore", null)).Json(HttpStatusCode.OK);
        Assert.Equal("Comeback", back.GetProperty("production").Str("title"));
        Assert.Equal("""{"scenes":[7]}""", back.GetProperty("production").Str("storyboard_json"));
        Assert.Equal([kept.Long("id")], back.GetProperty("images").EnumerateArray().Select(i => i.Long("id")));
        Assert.Equal([video.Long("id")], back.GetProperty("videos").EnumerateArray().Select(i => i.Long("id")));
        var trash = Items(await Client.GetJson("/api/gallery/trash"));
        Assert.Equal(earlier.Long("id").ToString(), Assert.Single(trash).Str("id"));
        Assert.Equal("production.restored", (await Types("/api/history/productions/prod_r"))[^1]);
    }

    [Fact]
    public async Task a_production_whose_asset_filename_was_reused_is_not_restored_at_all()
    {
        await Client.CreatedProduction("prod_c");
        await Client.RegisteredImage("clash.png", "prod_c", seed: 1);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_c")).StatusCode);
        await Client.RegisteredImage("clash.png", seed: 2);
        var count = await App.EventCount();

        Assert.Contains("clash.png", await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_c/restore", null)).Problem(HttpStatusCode.Conflict));
        Assert.Equal(count, await App.EventCount());
        await (await Client.GetAsync("/api/gallery/production/prod_c")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task purging_appends_purge_events_and_removes_only_unreferenced_blobs()
    {
        var shared = TestMedia.Png(seed: 40);
        var gone = await Client.RegisteredImage("gone.png", seed: 41);
        var twin = await (await Client.Register("images", shared, "twin-a.png", new Dictionary<string, string> { ["image_type"] = "generated" })).Json(HttpStatusCode.Created);
        await (await Client.Register("images", shared, "twin-b.png", new Dictionary<string, string> { ["image_type"] = "generated" })).Json(HttpStatusCode.Created);
        var live = await Client.RegisteredImage("live.png", seed: 42);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{gone.Long("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{twin.Long("id")}")).StatusCode);
        string Blob(JsonElement image) => Path.Combine(App.BlobDirectory, image.Str("sha256")[..2], image.Str("sha256"));

        var notYet = await (await Client.SendJson(HttpMethod.Post, "/api/admin/purge", null)).Json(HttpStatusCode.OK);
        Assert.Equal(0, notYet.Long("assets")); // retention: 30 days
        var result = await (await Client.SendJson(HttpMethod.Post, "/api/admin/purge?all=true", null, actor: "janitor")).Json(HttpStatusCode.OK);

        Assert.Equal(2, result.Long("assets"));
        Assert.Equal(1, result.Long("blobs"));
        Assert.False(File.Exists(Blob(gone)));
        Assert.True(File.Exists(Blob(twin)), "its bytes are still those of a live asset");
        Assert.True(File.Exists(Blob(live)));
        Assert.Empty(Items(await Client.GetJson("/api/gallery/trash")));
        var history = Items(await Client.GetJson($"/api/history/images/{gone.Long("id")}"));
        Assert.Equal(["image.registered", "image.trashed", "image.purged"], history.Select(i => i.Str("type")));
        Assert.Equal("janitor", history[^1].Str("by"));
        await (await Client.SendJson(HttpMethod.Post, $"/api/images/{gone.Long("id")}/restore", null)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task an_image_deleted_event_stored_before_the_trash_reads_as_trashed_and_can_be_restored()
    {
        var image = await Client.RegisteredImage("old.png");
        var id = image.Long("id");
        var key = Asset<ImageMetadata>.StreamKey(id);
        var when = DateTimeOffset.UtcNow;
        await using (var session = App.Store.LightweightSession())
        {
            // An event as version 1 of the schema stored it: named image.deleted, with deleted_by/deleted_at.
            session.Events.Append(key, new DeletedEventsV1.AssetDeletedV1<ImageMetadata>(id, null, "old-app", when));
            await session.SaveChangesAsync();
        }
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var rename = connection.CreateCommand();
            rename.CommandText = $"update {CatalogStore.SchemaName}.mt_events set type = 'image.deleted' where stream_id = $1 and version = 2";
            rename.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
            Assert.Equal(1, await rename.ExecuteNonQueryAsync());
        }
        await (await Client.SendJson(HttpMethod.Post, "/api/admin/rebuild", null)).Json(HttpStatusCode.OK); // as the old code had projected it

        await using (var session = App.Store.QuerySession())
        {
            var stored = (await session.Events.FetchStreamAsync(key))[1];
            var trashed = Assert.IsType<AssetTrashed<ImageMetadata>>(stored.Data);
            Assert.Equal(("old-app", when.ToUnixTimeMilliseconds()), (trashed.TrashedBy, trashed.TrashedAt.ToUnixTimeMilliseconds()));
        }
        await (await Client.GetAsync($"/api/gallery/image/{id}")).Problem(HttpStatusCode.NotFound);
        var history = Items(await Client.GetJson($"/api/history/images/{id}"));
        Assert.Equal("image.deleted", history[1].Str("type"));
        Assert.Equal("old-app", history[1].GetProperty("data").Str("deleted_by"));
        Assert.Equal(id.ToString(), Assert.Single(Items(await Client.GetJson("/api/gallery/trash"))).Str("id"));

        var restored = await (await Client.SendJson(HttpMethod.Post, $"/api/images/{id}/restore", null)).Json(HttpStatusCode.OK);
        Assert.Equal("old.png", restored.Str("filename"));
        Assert.Equal(["image.registered", "image.deleted", "image.restored"], await Types($"/api/history/images/{id}"));
    }
}
