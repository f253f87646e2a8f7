using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Catalog.Projections.Views;

namespace Catalog.Api.Tests.Browsing;

/// <summary>
/// The lists, the search and the media endpoints' lookups are answered from memory while the views have not changed
/// (<c>ExactReadCache</c>): a committed write — through the API, or by any other writer of the same database (another node,
/// the CLI) — is in the very next read.
/// </summary>
public sealed class ExactReads(CatalogApp app) : ApiTest(app)
{
    private static List<string?> Prompts(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("prompt").GetString()).ToList();

    [Fact]
    public async Task a_write_by_another_writer_is_in_the_next_read_of_a_list_and_of_the_search()
    {
        await Client.RegisteredImage("a.png", seed: 1, prompt: "neon rain");
        await Client.RegisteredImage("b.png", seed: 2, prompt: "desert road");
        for (var i = 0; i < 3; i++) // read again and again: kept, and the same
            Assert.Equal(["desert road", "neon rain"], Prompts(await Client.GetJson("/api/gallery/images")));
        Assert.Equal(1, (await Client.GetJson("/api/gallery/search?q=neon&type=images")).Long("total"));

        await ElsewhereAsync($"update {QuerySchema.Tables.Assets(Catalog.Domain.Assets.AssetKind.Image)} set data = jsonb_set(data, '{{prompt}}', '\"neon dunes\"') where data ->> 'filename' = 'b.png'");

        Assert.Equal(["neon dunes", "neon rain"], Prompts(await Client.GetJson("/api/gallery/images")));
        Assert.Equal(2, (await Client.GetJson("/api/gallery/search?q=neon&type=images")).Long("total"));
    }

    [Fact]
    public async Task every_change_through_the_api_is_in_the_next_read()
    {
        await Client.CreatedProduction("prod_x", "Night Drive", "Van Williams");
        var image = await Client.RegisteredImage("x.png", "prod_x", seed: 3, prompt: "first");
        var id = image.Long("id");
        async Task<JsonElement> Page() => await Client.GetJson("/api/gallery/images?production_id=prod_x");
        async Task<long> Found(string q) => (await Client.GetJson($"/api/gallery/search?q={q}")).Long("total");

        Assert.Equal(["first"], Prompts(await Page()));
        Assert.Equal(2, await Found("Van+Williams")); // the production and its image

        await Client.SendJson(HttpMethod.Patch, $"/api/images/{id}", new { prompt = "second" });
        Assert.Equal(["second"], Prompts(await Page()));

        await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_x", new { artist = "Someone Else" });
        Assert.Equal(0, await Found("Van+Williams"));

        await Client.DeleteAsync($"/api/images/{id}");
        Assert.Equal(0, (await Page()).Long("total"));
        await Client.PostAsync($"/api/images/{id}/restore", null);
        Assert.Equal(1, (await Page()).Long("total"));
    }

    /// <summary>
    /// Readers hammering the same page and search while a writer changes it: after each of its writes the writer's own next
    /// read has that write (never an answer kept from before it, nor one a burst of readers was still sharing).
    /// </summary>
    [Fact]
    public async Task a_writer_reads_its_own_write_while_readers_race_on_the_same_answers()
    {
        var id = (await Client.RegisteredImage("race.png", seed: 5, prompt: "v0")).Long("id");
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 6).Select(r => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Client.GetStringAsync(r % 2 == 0 ? "/api/gallery/images" : "/api/gallery/search?q=race&type=images");
            }
        })).ToList();

        for (var i = 1; i <= 25; i++)
        {
            await Client.SendJson(HttpMethod.Patch, $"/api/images/{id}", new { prompt = $"race v{i}" });
            Assert.Equal([$"race v{i}"], Prompts(await Client.GetJson("/api/gallery/images")));
            var hits = (await Client.GetJson("/api/gallery/search?q=race&type=images")).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal($"race v{i}", Assert.Single(hits).GetProperty("prompt").GetString());
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }

    [Fact]
    public async Task a_write_by_another_writer_is_in_the_next_media_response()
    {
        var png = TestMedia.Png(24, 16, seed: 7);
        var id = (await (await Client.Register("images", png, "still.png", new Dictionary<string, string> { ["image_type"] = "generated" }))
            .Json(System.Net.HttpStatusCode.Created)).Long("id");
        var table = QuerySchema.Tables.Assets(Catalog.Domain.Assets.AssetKind.Image);
        for (var i = 0; i < 3; i++) // served again and again: the lookup kept
        {
            using var served = await Client.GetAsync($"/api/media/image/{id}");
            Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
            Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        }

        await ElsewhereAsync($"update {table} set data = jsonb_set(data, '{{filename}}', '\"renamed.png\"') where id = {id}");
        using (var renamed = await Client.GetAsync($"/api/media/image/{id}"))
            Assert.Equal("renamed.png", renamed.Content.Headers.ContentDisposition!.FileName);

        await ElsewhereAsync($"delete from {table} where id = {id}");
        using var gone = await Client.GetAsync($"/api/media/image/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    /// <summary>Readers hammering an image's bytes and thumbnail while a writer deletes and restores it: the writer's own
    /// next request always has its write.</summary>
    [Fact]
    public async Task a_deleted_asset_is_gone_from_the_next_media_request_while_readers_race_on_it()
    {
        var id = (await Client.RegisteredImage("media-race.png", seed: 9)).Long("id");
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 6).Select(r => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var _ = await Client.GetAsync(r % 2 == 0 ? $"/api/media/image/{id}" : $"/api/media/image/{id}/thumbnail");
            }
        })).ToList();

        for (var i = 0; i < 10; i++)
        {
            (await Client.DeleteAsync($"/api/images/{id}")).EnsureSuccessStatusCode();
            using (var gone = await Client.GetAsync($"/api/media/image/{id}"))
                Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
            (await Client.PostAsync($"/api/images/{id}/restore", null)).EnsureSuccessStatusCode();
            using (var back = await Client.GetAsync($"/api/media/image/{id}"))
                Assert.Equal(System.Net.HttpStatusCode.OK, back.StatusCode);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }

    /// <summary>
    /// Readers hammering an image's bytes and a list while another writer — here a bare SQL connection, as another node's or
    /// the CLI's commit would be — renames it again and again: under that load the readers share readings of the version
    /// taken milliseconds apart, and still the first request after each acknowledged write has it.
    /// </summary>
    [Fact]
    public async Task another_writers_change_is_in_the_next_media_response_while_readers_share_readings()
    {
        var id = (await Client.RegisteredImage("shared.png", seed: 11, prompt: "shared")).Long("id");
        var table = QuerySchema.Tables.Assets(Catalog.Domain.Assets.AssetKind.Image);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 6).Select(r => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var _ = await Client.GetAsync(r % 3 == 0 ? "/api/gallery/images" : $"/api/media/image/{id}");
            }
        })).ToList();

        for (var i = 1; i <= 40; i++)
        {
            Assert.Equal(1, await ElsewhereAsync($"update {table} set data = jsonb_set(data, '{{filename}}', '\"take-{i}.png\"') where id = {id}"));
            using (var served = await Client.GetAsync($"/api/media/image/{id}"))
                Assert.Equal($"take-{i}.png", served.Content.Headers.ContentDisposition!.FileName);
            var listed = (await Client.GetJson("/api/gallery/images")).GetProperty("items")[0];
            Assert.Equal($"take-{i}.png", listed.GetProperty("filename").GetString());
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }
}
