using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Browsing;

/// <summary>
/// List pages are the stored views' JSON side by side (ListPages) and details are written by C#
/// (AssetResponses; a production is answered as its view): the two must give the same item, field for field and value for
/// value (jsonb keeps its own key order, which JSON leaves free).
/// </summary>
public sealed class ListItemShape(CatalogApp app) : ApiTest(app)
{
    private async Task AssertListItemsEqualDetails(string list, Func<string, string> detailUrl, Func<JsonNode, JsonNode>? detailItem = null)
    {
        var page = JsonNode.Parse(await (await Client.GetAsync(list)).Content.ReadAsStringAsync())!;
        var items = page["items"]!.AsArray();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            var detail = JsonNode.Parse(await (await Client.GetAsync(detailUrl(item!["id"]!.ToString()))).Content.ReadAsStringAsync())!;
            detail = detailItem?.Invoke(detail) ?? detail;
            if (detail is JsonObject obj && obj.ContainsKey("production")) obj["production"] = null;
            Assert.True(JsonNode.DeepEquals(detail, item), $"list item {item!.ToJsonString()}\n  != detail {detail.ToJsonString()}");
        }
    }

    [Fact]
    public async Task images_videos_and_audio()
    {
        await Client.CreatedProduction("prod_shape");
        await (await Client.Register("images", TestMedia.Png(seed: 1), "full.png", new Dictionary<string, string>
        {
            ["image_type"] = "generated", ["clip_id"] = "c7", ["prompt"] = "quotes \" and \\ and ünïcode", ["size"] = "1024x576",
            ["mode"] = "img2img", ["cfg"] = "7.25", ["steps"] = "30", ["production_id"] = "prod_shape", ["created_at"] = "2026-02-03T04:05:06.7Z",
        })).Json(HttpStatusCode.Created);
        await (await Client.Register("images", TestMedia.Png(seed: 2), "sparse.png", new Dictionary<string, string> { ["image_type"] = "thumbnail", ["cfg"] = "7" }))
            .Json(HttpStatusCode.Created);
        await (await Client.Register("videos", TestMedia.Mp4(), "full.mp4", new Dictionary<string, string>
        {
            ["video_type"] = "lipsync", ["clip_id"] = "c7", ["duration"] = "3.041667", ["resolution"] = "720p", ["fps"] = "24",
            ["source_image_filename"] = "full.png", ["prompt"] = "walk", ["camera_control"] = "{\"pan\": -0.5}",
        })).Json(HttpStatusCode.Created);
        await Client.RegisteredVideo("sparse.mp4");
        var audio = await Client.RegisteredAudio("a.wav", "prod_shape");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/audio/{audio.Long("id")}")
        {
            Content = new StringContent("""{"duration": 12.5}""", System.Text.Encoding.UTF8, "application/json"),
        };
        await (await Client.SendAsync(patch)).Json(HttpStatusCode.OK);

        await AssertListItemsEqualDetails("/api/gallery/images", id => $"/api/gallery/image/{id}");
        await AssertListItemsEqualDetails("/api/gallery/videos", id => $"/api/gallery/video/{id}");
        await AssertListItemsEqualDetails("/api/gallery/audio", id => $"/api/gallery/audio/{id}");
    }

    [Fact]
    public async Task productions()
    {
        await Client.CreatedProduction("prod_full", "Title \"quoted\"", "Artist");
        await Client.CreatedProduction("prod_bare", null, null);
        await (await Client.PutRaw("/api/productions/prod_full/storyboard", """{"scenes": [1, 2]}""")).Json(HttpStatusCode.OK);
        await (await Client.SendJson(HttpMethod.Put, "/api/productions/prod_full/audio", new { audio_filename = "x.mp3", audio_duration = 181.25 }))
            .Json(HttpStatusCode.OK);

        await AssertListItemsEqualDetails("/api/gallery/productions", id => $"/api/gallery/production/{id}", detail => detail["production"]!.DeepClone());
    }
}
