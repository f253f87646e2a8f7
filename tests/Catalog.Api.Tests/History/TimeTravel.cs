using System.Net;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.History;

public sealed class TimeTravel(CatalogApp app) : ApiTest(app)
{
    private static string At(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));

    private async Task<List<DateTimeOffset>> Timestamps(string historyUrl) =>
        (await Client.GetJson(historyUrl)).GetProperty("items").EnumerateArray()
            .Select(i => DateTimeOffset.Parse(i.Str("timestamp"))).ToList();

    private static DateTimeOffset Between(DateTimeOffset a, DateTimeOffset b) => a + (b - a) / 2;

    [Fact]
    public async Task a_production_as_of_every_step_and_between_two_changes_is_the_earlier_state()
    {
        await Client.CreatedProduction("prod_tt", "One");
        await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_tt", new { title = "Two" })).Json(HttpStatusCode.OK);
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_tt/status", new { status = "generating" })).Json(HttpStatusCode.OK);
        var image = await Client.RegisteredImage("tt.png", "prod_tt");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_tt")).StatusCode);
        var t = await Timestamps("/api/history/productions/prod_tt?include=assets");

        JsonElement Production(JsonElement detail) => detail.GetProperty("production");
        var atCreation = await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(t[0])}");
        Assert.Equal("One", Production(atCreation).Str("title"));
        Assert.Equal(1, Production(atCreation).Long("version"));
        Assert.Equal("One", Production(await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(Between(t[0], t[1]))}")).Str("title"));
        Assert.Equal("Two", Production(await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(t[1])}")).Str("title"));
        Assert.Equal("draft", Production(await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(Between(t[1], t[2]))}")).Str("status"));

        var withImage = await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(t[3])}");
        Assert.Equal("generating", Production(withImage).Str("status"));
        Assert.Equal(image.Long("id"), withImage.GetProperty("images").EnumerateArray().Single().Long("id"));
        Assert.Empty((await Client.GetJson($"/api/gallery/production/prod_tt?as_of={At(t[2])}")).GetProperty("images").EnumerateArray());

        var byVersion = await Client.GetJson("/api/gallery/production/prod_tt?version=2");
        Assert.Equal("Two", Production(byVersion).Str("title"));
        Assert.Equal("draft", Production(byVersion).Str("status"));

        Assert.Contains("did not exist yet", await (await Client.GetAsync($"/api/gallery/production/prod_tt?as_of={At(t[0].AddSeconds(-1))}")).Problem(HttpStatusCode.NotFound));
        Assert.Contains("was deleted by", await (await Client.GetAsync($"/api/gallery/production/prod_tt?as_of={At(t[^1])}")).Problem(HttpStatusCode.NotFound));
        await (await Client.GetAsync("/api/gallery/production/prod_tt")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task an_asset_as_of_an_instant_or_a_version_with_its_production_then()
    {
        await Client.CreatedProduction("prod_a", "Album");
        var image = await Client.RegisteredImage("a.png", "prod_a", prompt: "first prompt");
        var id = image.Long("id");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/images/{id}") { Content = new StringContent("""{"prompt":"second prompt"}""", System.Text.Encoding.UTF8, "application/json") };
        await (await Client.SendAsync(patch)).Json(HttpStatusCode.OK);
        await (await Client.DeleteAsync($"/api/images/{id}/production")).Json(HttpStatusCode.OK);
        var t = await Timestamps($"/api/history/images/{id}");

        var first = await Client.GetJson($"/api/gallery/image/{id}?as_of={At(Between(t[0], t[1]))}");
        Assert.Equal("first prompt", first.Str("prompt"));
        Assert.Equal("Album", first.GetProperty("production").Str("title"));
        var second = await Client.GetJson($"/api/gallery/image/{id}?version=2");
        Assert.Equal("second prompt", second.Str("prompt"));
        Assert.Equal("prod_a", second.Str("production_id"));
        Assert.True((await Client.GetJson($"/api/gallery/image/{id}?version=3")).IsNull("production"));
        Assert.Equal(image.Str("sha256"), second.Str("sha256"));

        await (await Client.GetAsync($"/api/gallery/image/{id}?version=9")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/gallery/image/{id}?version=0")).Problem(HttpStatusCode.BadRequest);
        await (await Client.GetAsync($"/api/gallery/image/{id}?version=1&as_of={At(t[0])}")).Problem(HttpStatusCode.BadRequest);
        await (await Client.GetAsync($"/api/gallery/image/{id}?as_of=yesterday")).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("did not exist yet", await (await Client.GetAsync($"/api/gallery/image/{id}?as_of={At(t[0].AddMinutes(-1))}")).Problem(HttpStatusCode.NotFound));
    }
}
