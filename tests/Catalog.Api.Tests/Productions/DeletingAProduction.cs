using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Domain.Assets;

namespace Catalog.Api.Tests.Productions;

public sealed class DeletingAProduction(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task cascades_to_its_assets_in_the_views_and_keeps_every_event()
    {
        await Client.CreatedProduction("prod_gone");
        var image = await Client.RegisteredImage("a.png", "prod_gone");
        var video = await Client.RegisteredVideo("a.mp4", "prod_gone");
        var audio = await Client.RegisteredAudio("a.wav", "prod_gone");
        var elsewhere = await Client.RegisteredImage("b.png", seed: 1);

        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/productions/prod_gone");
        request.Headers.Add("X-Actor", "carol");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(request)).StatusCode);

        await (await Client.GetAsync("/api/gallery/production/prod_gone")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/gallery/image/{image.Long("id")}")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/gallery/video/{video.Long("id")}")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/media/audio/{audio.Long("id")}")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/gallery/image/{elsewhere.Long("id")}")).Json(HttpStatusCode.OK);

        var productionEvents = await App.Events("production:prod_gone");
        Assert.Equal("production.trashed", productionEvents[^1].EventTypeName);
        var imageEvents = await App.Events($"image:{image.Long("id")}");
        Assert.Equal(["image.registered", "image.trashed"], imageEvents.Select(e => e.EventTypeName));
        Assert.Equal("carol", imageEvents[^1].UserName);
        Assert.Equal(productionEvents[^1].CorrelationId, imageEvents[^1].CorrelationId);
        var deleted = Assert.IsType<AssetTrashed<ImageMetadata>>(imageEvents[^1].Data);
        Assert.Equal("prod_gone", deleted.CascadedFromProductionId);
    }

    [Fact]
    public async Task a_deleted_production_takes_no_more_commands_or_assets_and_its_id_is_not_reused()
    {
        await Client.CreatedProduction("prod_x");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_x")).StatusCode);
        var count = await App.EventCount();

        await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_x", new { title = "again" })).Problem(HttpStatusCode.NotFound);
        await (await Client.DeleteAsync("/api/productions/prod_x")).Problem(HttpStatusCode.NotFound);
        var upload = await Client.Register("images", Catalog.Testing.TestMedia.Png(), "late.png",
            new Dictionary<string, string> { ["image_type"] = "generated", ["production_id"] = "prod_x" });
        await upload.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("in the trash", await (await Client.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_x" })).Problem(HttpStatusCode.Conflict));

        Assert.Equal(count, await App.EventCount());
    }
}
