using System.Net;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Browsing;

public sealed class BrowsingLists(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task images_are_newest_first_with_the_total_and_no_bytes()
    {
        var old = await Client.RegisteredImage("old.png", seed: 1, createdAt: "2026-01-01T00:00:00Z");
        var newest = await Client.RegisteredImage("new.png", seed: 2, createdAt: "2026-03-01T00:00:00Z");
        var middle = await Client.RegisteredImage("mid.png", seed: 3, createdAt: "2026-02-01T00:00:00Z");

        var page = await Client.GetJson("/api/gallery/images");

        Assert.Equal([newest.Long("id").ToString(), middle.Long("id").ToString(), old.Long("id").ToString()], page.Ids());
        Assert.Equal(3, page.Long("total"));
        Assert.Equal(50, page.Long("limit"));
        Assert.Equal(0, page.Long("offset"));
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            Assert.False(item.TryGetProperty("binary_data", out _));
            Assert.Equal(64, item.Str("sha256").Length);
        }
    }

    [Fact]
    public async Task equal_created_at_is_broken_by_id_descending()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add((await Client.RegisteredImage($"same{i}.png", seed: i, createdAt: "2026-05-05T05:05:05Z")).Long("id").ToString());
        ids.Reverse();
        Assert.Equal(ids, (await Client.GetJson("/api/gallery/images")).Ids());
    }

    [Fact]
    public async Task pages_walk_the_list_and_past_the_end_is_empty_with_the_total()
    {
        for (var i = 0; i < 5; i++) await Client.RegisteredImage($"p{i}.png", seed: i, createdAt: $"2026-01-0{i + 1}T00:00:00Z");
        var all = (await Client.GetJson("/api/gallery/images")).Ids();

        var first = await Client.GetJson("/api/gallery/images?limit=2&offset=0");
        var last = await Client.GetJson("/api/gallery/images?limit=2&offset=4");
        var beyond = await Client.GetJson("/api/gallery/images?limit=2&offset=10");

        Assert.Equal(all[..2], first.Ids());
        Assert.Equal(all[4..], last.Ids());
        Assert.Empty(beyond.Ids());
        Assert.All(new[] { first, last, beyond }, p => Assert.Equal(5, p.Long("total")));
    }

    [Fact]
    public async Task filters_by_type_and_production_and_both()
    {
        await Client.CreatedProduction("prod_a");
        await Client.CreatedProduction("prod_b");
        var aGenerated = await Client.RegisteredImage("a1.png", "prod_a", seed: 1);
        var aReference = await Client.RegisteredImage("a2.png", "prod_a", seed: 2, type: "reference");
        var bGenerated = await Client.RegisteredImage("b1.png", "prod_b", seed: 3);
        var loose = await Client.RegisteredImage("c1.png", seed: 4, type: "thumbnail");

        Assert.Equal(2, (await Client.GetJson("/api/gallery/images?type=generated")).Long("total"));
        Assert.Equal([loose.Long("id").ToString()], (await Client.GetJson("/api/gallery/images?type=thumbnail")).Ids());
        Assert.Equal(2, (await Client.GetJson("/api/gallery/images?production_id=prod_a")).Long("total"));
        Assert.Equal([aReference.Long("id").ToString()], (await Client.GetJson("/api/gallery/images?production_id=prod_a&type=reference")).Ids());
        Assert.Equal([bGenerated.Long("id").ToString()], (await Client.GetJson("/api/gallery/images?type=generated&production_id=prod_b")).Ids());
        Assert.Empty((await Client.GetJson("/api/gallery/images?production_id=prod_none")).Ids());
        Assert.NotEqual(aGenerated.Long("id"), bGenerated.Long("id"));
    }

    [Fact]
    public async Task videos_and_audio_have_their_own_lists_and_types()
    {
        await Client.RegisteredVideo("c.mp4");
        await Client.RegisteredVideo("f.mp4", type: "final");
        await Client.RegisteredAudio("v.wav", type: "vocals");

        Assert.Equal(2, (await Client.GetJson("/api/gallery/videos")).Long("total"));
        var finals = await Client.GetJson("/api/gallery/videos?type=final");
        Assert.Equal("f.mp4", Assert.Single(finals.GetProperty("items").EnumerateArray()).Str("filename"));
        var vocals = await Client.GetJson("/api/gallery/audio?type=vocals");
        Assert.Equal("audio/wav", Assert.Single(vocals.GetProperty("items").EnumerateArray()).Str("mime_type"));
        Assert.Equal(0, (await Client.GetJson("/api/gallery/audio?type=instrumental")).Long("total"));
    }

    [Fact]
    public async Task productions_filter_by_status_newest_first()
    {
        await Client.CreatedProduction("prod_1");
        await Client.CreatedProduction("prod_2");
        await Client.CreatedProduction("prod_3");
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_2/status", new { status = "generating" })).Json(HttpStatusCode.OK);

        Assert.Equal(["prod_3", "prod_2", "prod_1"], (await Client.GetJson("/api/gallery/productions")).Ids());
        Assert.Equal(["prod_3", "prod_1"], (await Client.GetJson("/api/gallery/productions?status=draft&limit=50")).Ids());
        Assert.Equal(["prod_2"], (await Client.GetJson("/api/gallery/productions?status=generating")).Ids());
        Assert.Equal(0, (await Client.GetJson("/api/gallery/productions?status=completed")).Long("total"));
    }

    [Fact]
    public async Task every_change_is_visible_in_the_next_read()
    {
        for (var i = 0; i < 5; i++)
        {
            var image = await Client.RegisteredImage($"ryw{i}.png", seed: i);
            Assert.Equal(image.Long("id").ToString(), (await Client.GetJson("/api/gallery/images?limit=1")).Ids().Single());
        }
        var first = (await Client.GetJson("/api/gallery/images?limit=1")).Ids().Single();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{first}")).StatusCode);
        Assert.DoesNotContain(first, (await Client.GetJson("/api/gallery/images")).Ids());
    }

    [Theory]
    [InlineData("/api/gallery/images?limit=201", "limit must be from 1 to 200")]
    [InlineData("/api/gallery/images?limit=0", "limit must be from 1 to 200")]
    [InlineData("/api/gallery/videos?offset=-1", "offset must be 0 or more")]
    [InlineData("/api/gallery/images?limit=ten", "limit")]
    [InlineData("/api/gallery/productions?offset=1.5", "offset")]
    public async Task bad_parameters_are_400(string url, string message)
    {
        Assert.Contains(message, await (await Client.GetAsync(url)).Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task types_and_statuses_are_open_an_unknown_one_is_an_empty_page()
    {
        var board = await Client.RegisteredImage("board.png", seed: 1, type: "storyboard");
        await Client.RegisteredImage("gen.png", seed: 2);
        await Client.RegisteredAudio("sfx.wav", type: "sfx");
        await Client.CreatedProduction("prod_open");

        Assert.Equal([board.Long("id").ToString()], (await Client.GetJson("/api/gallery/images?type=storyboard")).Ids());
        Assert.Equal([board.Long("id").ToString()], (await Client.GetJson("/api/gallery/images?type=%20storyboard%20")).Ids());
        Assert.Single((await Client.GetJson("/api/gallery/audio?type=sfx")).Ids());
        foreach (var url in new[] { "/api/gallery/images?type=poster", "/api/gallery/videos?type=generated", "/api/gallery/audio?type=clip",
                     "/api/gallery/productions?status=published" })
        {
            var page = await Client.GetJson(url);
            Assert.Equal((0, 0L), (page.GetProperty("items").GetArrayLength(), page.Long("total")));
        }
    }

    [Fact]
    public async Task a_deleted_production_and_its_assets_leave_every_list()
    {
        await Client.CreatedProduction("prod_del");
        await Client.RegisteredImage("d.png", "prod_del");
        await Client.RegisteredVideo("d.mp4", "prod_del");
        await Client.RegisteredAudio("d.wav", "prod_del");
        var kept = await Client.RegisteredImage("k.png", seed: 7);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_del")).StatusCode);

        Assert.Equal([kept.Long("id").ToString()], (await Client.GetJson("/api/gallery/images")).Ids());
        Assert.Empty((await Client.GetJson("/api/gallery/videos")).Ids());
        Assert.Empty((await Client.GetJson("/api/gallery/audio")).Ids());
        Assert.Empty((await Client.GetJson("/api/gallery/productions")).Ids());
    }
}
