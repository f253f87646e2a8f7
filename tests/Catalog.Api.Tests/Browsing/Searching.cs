using System.Net;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Browsing;

public sealed class Searching(CatalogApp app) : ApiTest(app)
{
    private Task<System.Text.Json.JsonElement> Search(string query) => Client.GetJson("/api/gallery/search?" + query);

    private static List<string> Hits(System.Text.Json.JsonElement result) =>
        result.GetProperty("items").EnumerateArray().Select(i => $"{i.Str("kind")}:{i.GetProperty("id")}").ToList();

    [Fact]
    public async Task the_seeds_example_finds_prompts_titles_and_artists_case_insensitively()
    {
        await Client.CreatedProduction("prod_vw", "Night Drive", "Van Williams");
        await Client.CreatedProduction("prod_other", "Van Williams Live", null);
        await Client.CreatedProduction("prod_no", "Unrelated", "Someone");
        var image = await Client.RegisteredImage("vw.png", seed: 1, prompt: "portrait of VAN WILLIAMS in the rain");
        var video = await Client.RegisteredVideo("vw.mp4", prompt: "van williams walks away");
        await Client.RegisteredImage("other.png", seed: 2, prompt: "a red car");

        var all = await Search("q=Van+Williams");
        Assert.Equal(
            new[] { $"image:{image.Long("id")}", $"video:{video.Long("id")}", "production:prod_vw", "production:prod_other" }.Order(),
            Hits(all).Order());
        Assert.Equal(4, all.Long("total"));

        var images = await Search("q=van%20williams&type=images");
        Assert.Equal([$"image:{image.Long("id")}"], Hits(images));
        var found = Assert.Single(images.GetProperty("items").EnumerateArray());
        Assert.Equal(("vw.png", image.Long("id"), "image"), (found.Str("filename"), found.Long("id"), found.Str("kind")));

        Assert.Equal([$"video:{video.Long("id")}"], Hits(await Search("q=Van+Williams&type=videos")));
        Assert.Equal(2, (await Search("q=van+williams&type=productions")).Long("total"));
    }

    [Fact]
    public async Task every_word_must_match_and_words_match_as_prefixes()
    {
        var image = await Client.RegisteredImage("w.png", prompt: "Van Williams at dusk");
        Assert.Single(Hits(await Search("q=will")));
        Assert.Single(Hits(await Search("q=williams+dusk")));
        Assert.Empty(Hits(await Search("q=williams+dawn")));
        Assert.Equal($"image:{image.Long("id")}", Hits(await Search("q=DUSK")).Single());
    }

    [Fact]
    public async Task a_better_match_ranks_higher()
    {
        var once = await Client.RegisteredImage("once.png", seed: 1, prompt: "neon street, williams in the corner");
        var often = await Client.RegisteredImage("often.png", seed: 2, prompt: "williams, williams, williams on stage");
        var result = await Search("q=williams");
        Assert.Equal([$"image:{often.Long("id")}", $"image:{once.Long("id")}"], Hits(result));
        var ranks = result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("rank").GetDouble()).ToList();
        Assert.True(ranks[0] > ranks[1]);
    }

    [Fact]
    public async Task results_are_paged_with_the_total()
    {
        for (var i = 0; i < 5; i++) await Client.RegisteredImage($"s{i}.png", seed: i, prompt: $"comet number {i}");
        var first = await Search("q=comet&limit=2");
        var beyond = await Search("q=comet&limit=2&offset=9");
        Assert.Equal(2, Hits(first).Count);
        Assert.Empty(Hits(beyond));
        Assert.Equal(5, first.Long("total"));
        Assert.Equal(5, beyond.Long("total"));
    }

    [Theory]
    [InlineData("50% off")]
    [InlineData("under_score")]
    [InlineData("back\\slash")]
    [InlineData("it's \"quoted\"")]
    [InlineData("'; drop table catalog.mt_events; --")]
    [InlineData("a & b | !c <-> d:*")]
    public async Task quotes_wildcards_backslashes_and_sql_are_plain_text(string text)
    {
        var exact = await Client.RegisteredImage("exact.png", seed: 1, prompt: text);
        await Client.RegisteredImage("other.png", seed: 2, prompt: "something else entirely");

        var result = await Search("q=" + Uri.EscapeDataString(text));
        Assert.Equal([$"image:{exact.Long("id")}"], Hits(result));
        Assert.Equal(2, (await Client.GetJson("/api/gallery/images")).Long("total"));
    }

    [Theory]
    [InlineData("", "q is required")]
    [InlineData("q=", "q is required")]
    [InlineData("q=%25%25", "no words")]
    [InlineData("q=x&type=sounds", "type 'sounds' is not one of: all, images, videos, audio, productions")]
    [InlineData("q=x&limit=500", "limit")]
    public async Task bad_searches_are_400(string query, string message)
    {
        Assert.Contains(message, await (await Client.GetAsync("/api/gallery/search?" + query)).Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task deleted_things_are_not_found()
    {
        await Client.CreatedProduction("prod_gone", "Comet Tour", "Van Williams");
        await Client.RegisteredImage("in.png", "prod_gone", prompt: "comet tail");
        var image = await Client.RegisteredImage("solo.png", seed: 3, prompt: "comet head");
        Assert.Equal(3, (await Search("q=comet")).Long("total"));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_gone")).StatusCode);
        Assert.Equal([$"image:{image.Long("id")}"], Hits(await Search("q=comet")));
    }

    [Fact]
    public async Task a_productions_title_and_artist_find_its_images_videos_and_audio()
    {
        await Client.CreatedProduction("prod_vw", "Night Drive", "Van Williams");
        var image = await Client.RegisteredImage("frame.png", "prod_vw", prompt: "a wet street at night");
        var video = await Client.RegisteredVideo("shot.mp4", "prod_vw", prompt: "slow dolly along the kerb");
        var audio = await Client.RegisteredAudio("mix.wav", "prod_vw");
        await Client.RegisteredImage("elsewhere.png", seed: 5, prompt: "a wet street by day");

        Assert.Equal([$"image:{image.Long("id")}"], Hits(await Search("q=Van+Williams&type=images")));
        Assert.Equal([$"video:{video.Long("id")}"], Hits(await Search("q=Van+Williams&type=videos")));
        Assert.Equal([$"audio:{audio.Long("id")}"], Hits(await Search("q=van+williams&type=audio")));
        Assert.Equal([$"image:{image.Long("id")}"], Hits(await Search("q=night+drive+street&type=images"))); // words from both
        Assert.Equal([$"image:{image.Long("id")}"], Hits(await Search("q=frame&type=images"))); // and by its filename

        // The production's new words reach its assets at once; the old ones no longer find them.
        Assert.Equal(HttpStatusCode.OK, (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_vw", new { artist = "Jo Ortega" })).StatusCode);
        Assert.Empty(Hits(await Search("q=Van+Williams&type=videos")));
        Assert.Equal([$"video:{video.Long("id")}"], Hits(await Search("q=ortega&type=videos")));

        // An asset moved out of the production is no longer found by its words.
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/api/images/{image.Long("id")}/production")).StatusCode);
        Assert.Empty(Hits(await Search("q=ortega&type=images")));
    }

    [Fact]
    public async Task a_hit_is_the_list_item_with_its_kind_and_rank()
    {
        var image = await Client.RegisteredImage("item.png", prompt: "lighthouse beam");
        var item = Assert.Single((await Client.GetJson("/api/gallery/images")).GetProperty("items").EnumerateArray());
        var hit = Assert.Single((await Search("q=lighthouse")).GetProperty("items").EnumerateArray());

        Assert.Equal(System.Text.Json.JsonValueKind.Number, hit.GetProperty("id").ValueKind);
        Assert.Equal(image.Long("id"), hit.Long("id"));
        var listed = item.EnumerateObject().Select(p => (p.Name, p.Value.ToString())).ToList();
        var found = hit.EnumerateObject().Where(p => p.Name is not ("kind" or "rank")).Select(p => (p.Name, p.Value.ToString())).ToList();
        Assert.Equal(listed.Order(), found.Order());
        Assert.Equal("image", hit.Str("kind"));
        Assert.True(hit.GetProperty("rank").GetDouble() > 0);
    }
}
