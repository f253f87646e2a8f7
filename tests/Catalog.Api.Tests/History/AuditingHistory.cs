using System.Net;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.History;

public sealed class AuditingHistory(CatalogApp app) : ApiTest(app)
{
    private async Task<HttpResponseMessage> Send(HttpMethod method, string url, object? body, string actor, string? reason = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        request.Headers.Add("X-Actor", actor);
        if (reason is not null) request.Headers.Add("X-Reason", reason);
        return await Client.SendAsync(request);
    }

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    /// <summary>create → edit → re-status → an image into it → delete: every step in the history, with who and why.</summary>
    private async Task<long> Story()
    {
        await (await Send(HttpMethod.Post, "/api/productions", new { id = "prod_story", title = "Draft title" }, "alice", "new video for the single")).Json(HttpStatusCode.Created);
        await (await Send(HttpMethod.Patch, "/api/productions/prod_story", new { title = "Final title" }, "bob", "label asked")).Json(HttpStatusCode.OK);
        await (await Send(HttpMethod.Post, "/api/productions/prod_story/status", new { status = "generating" }, "carol")).Json(HttpStatusCode.OK);
        var image = await Client.RegisteredImage("story.png", "prod_story");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/api/productions/prod_story", null, "dave", "cancelled")).StatusCode);
        return image.Long("id");
    }

    [Fact]
    public async Task a_productions_history_has_every_event_with_who_why_and_when_and_survives_its_deletion()
    {
        await Story();
        var history = await Client.GetJson("/api/history/productions/prod_story");
        var items = Items(history);

        Assert.Equal(["production.created", "production.details_changed", "production.status_changed", "production.trashed"],
            items.Select(i => i.Str("type")));
        Assert.Equal([1L, 2L, 3L, 4L], items.Select(i => i.Long("version")));
        Assert.Equal(["alice", "bob", "carol", "dave"], items.Select(i => i.Str("by")));
        Assert.Equal("new video for the single", items[0].Str("reason"));
        Assert.True(items[2].IsNull("reason"));
        Assert.Equal("cancelled", items[3].Str("reason"));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Str("correlation_id"))));
        Assert.All(items, i => Assert.EndsWith("Z", i.Str("timestamp")));
        Assert.Equal("Final title", items[1].GetProperty("data").Str("title"));
        Assert.Equal("generating", items[2].GetProperty("data").Str("to"));
        Assert.True(items.Zip(items.Skip(1)).All(p => p.First.Long("sequence") < p.Second.Long("sequence")));
        Assert.Equal(4, history.Long("total"));
    }

    [Fact]
    public async Task include_assets_merges_the_assets_events_in_order_and_an_assets_own_history_stands()
    {
        var image = await Story();
        var items = Items(await Client.GetJson("/api/history/productions/prod_story?include=assets"));

        Assert.Equal(["production.created", "production.details_changed", "production.status_changed", "image.registered",
            "production.trashed", "image.trashed"], items.Select(i => i.Str("type")));
        Assert.Equal($"image:{image}", items[3].Str("stream"));
        Assert.Equal("image", items[3].Str("kind"));
        Assert.Equal(image.ToString(), items[3].Str("id"));

        var own = Items(await Client.GetJson($"/api/history/images/{image}"));
        Assert.Equal(["image.registered", "image.trashed"], own.Select(i => i.Str("type")));
        Assert.Equal("prod_story", own[1].GetProperty("data").Str("cascaded_from_production_id"));
        Assert.False(own[0].GetProperty("data").TryGetProperty("binary_data", out _));
    }

    [Fact]
    public async Task history_pages_and_refuses_what_never_existed()
    {
        await Story();
        var second = await Client.GetJson("/api/history/productions/prod_story?limit=2&offset=2");
        Assert.Equal(["production.status_changed", "production.trashed"], Items(second).Select(i => i.Str("type")));
        Assert.Equal(4, second.Long("total"));

        Assert.Contains("never existed", await (await Client.GetAsync("/api/history/productions/prod_never")).Problem(HttpStatusCode.NotFound));
        await (await Client.GetAsync("/api/history/videos/99999")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/history/audio/x1")).Problem(HttpStatusCode.BadRequest);
        await (await Client.GetAsync("/api/history/productions/prod_story?include=everything")).Problem(HttpStatusCode.BadRequest);
        await (await Client.GetAsync("/api/history/productions/prod_story?limit=5000")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_catalog_feed_is_newest_first_and_filters_by_kind_time_and_position()
    {
        var image = await Story();
        var all = Items(await Client.GetJson("/api/history"));
        Assert.Equal("image.trashed", all[0].Str("type"));
        Assert.Equal(6, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Long("sequence") > p.Second.Long("sequence")));

        Assert.Equal(["image.trashed", "image.registered"], Items(await Client.GetJson("/api/history?kind=image")).Select(i => i.Str("type")));
        var since = all[2].Str("timestamp");
        Assert.Equal(3, Items(await Client.GetJson($"/api/history?since={Uri.EscapeDataString(since)}")).Count);

        var page = await Client.GetJson("/api/history?limit=4");
        Assert.Equal(4, Items(page).Count);
        var older = Items(await Client.GetJson($"/api/history?before={page.Long("next_before")}"));
        Assert.Equal(["production.details_changed", "production.created"], older.Select(i => i.Str("type")));
        Assert.True(image > 0);

        await (await Client.GetAsync("/api/history?kind=stream")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task refused_commands_leave_nothing_in_any_history()
    {
        await Client.CreatedProduction("prod_r");
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_r/status", new { status = "completed" })).Problem(HttpStatusCode.Conflict);
        await Client.RegisteredImage("dup.png");
        await (await Client.Register("images", Catalog.Testing.TestMedia.Png(seed: 3), "dup.png", new Dictionary<string, string> { ["image_type"] = "generated" }))
            .Problem(HttpStatusCode.Conflict);

        Assert.Equal(["image.registered", "production.created"], Items(await Client.GetJson("/api/history")).Select(i => i.Str("type")));
    }
}
