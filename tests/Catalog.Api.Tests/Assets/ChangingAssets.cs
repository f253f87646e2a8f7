using System.Net;
using System.Text;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Assets;

public sealed class ChangingAssets(CatalogApp app) : ApiTest(app)
{
    private Task<HttpResponseMessage> Patch(string url, string json, string contentType = "application/merge-patch+json") =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent(json, Encoding.UTF8, contentType) });

    [Fact]
    public async Task metadata_is_corrected_by_merge_patch()
    {
        var image = await Client.RegisteredImage();
        var id = image.Long("id");

        var corrected = await (await Patch($"/api/images/{id}", """{"prompt":"fixed prompt","steps":50,"clip_id":null,"size":"1024x576"}"""))
            .Json(HttpStatusCode.OK);

        Assert.Equal("fixed prompt", corrected.Str("prompt"));
        Assert.Equal(50, corrected.Long("steps"));
        Assert.Equal("1024x576", corrected.Str("size"));
        Assert.Equal("generated", corrected.Str("image_type"));
        Assert.Equal(2, corrected.Long("version"));
        Assert.Equal(["image.registered", "image.metadata_corrected"], (await App.Events($"image:{id}")).Select(e => e.EventTypeName));
    }

    [Fact]
    public async Task a_bad_correction_is_refused_and_appends_nothing()
    {
        var video = await Client.RegisteredVideo();
        var id = video.Long("id");

        Assert.Contains("Unknown field", await (await Patch($"/api/videos/{id}", """{"filename":"renamed.mp4"}""")).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("fps", await (await Patch($"/api/videos/{id}", """{"fps":-1}""")).Problem(HttpStatusCode.BadRequest));
        await (await Patch($"/api/videos/{id}", """{"fps":"fast"}""")).Problem(HttpStatusCode.BadRequest);
        await (await Patch($"/api/videos/{id}", """{"video_type":null}""")).Problem(HttpStatusCode.BadRequest);
        await (await Patch($"/api/videos/{id}", "[1,2]")).Problem(HttpStatusCode.BadRequest);
        await (await Patch($"/api/videos/{id}", "{oops")).Problem(HttpStatusCode.BadRequest);
        await (await Patch($"/api/videos/{id}", "fps=1", "text/plain")).Problem(HttpStatusCode.UnsupportedMediaType);
        await (await Patch($"/api/videos/{id}?expected_version=7", """{"fps":30}""")).Problem(HttpStatusCode.Conflict);
        await (await Patch("/api/videos/424242", """{"fps":30}""")).Problem(HttpStatusCode.NotFound);
        await (await Patch("/api/videos/abc", """{"fps":30}""")).Problem(HttpStatusCode.BadRequest);

        Assert.Single(await App.Events($"video:{id}"));
    }

    [Fact]
    public async Task an_asset_moves_between_productions_and_detaches()
    {
        await Client.CreatedProduction("prod_one");
        await Client.CreatedProduction("prod_two");
        var audio = await Client.RegisteredAudio(productionId: "prod_one");
        var id = audio.Long("id");

        var moved = await (await Client.SendJson(HttpMethod.Put, $"/api/audio/{id}/production", new { production_id = "prod_two" })).Json(HttpStatusCode.OK);
        Assert.Equal("prod_two", moved.Str("production_id"));
        var two = await (await Client.GetAsync("/api/gallery/production/prod_two")).Json(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(two.GetProperty("audio").EnumerateArray()).Long("id"));
        var one = await (await Client.GetAsync("/api/gallery/production/prod_one")).Json(HttpStatusCode.OK);
        Assert.Empty(one.GetProperty("audio").EnumerateArray());

        var detached = await (await Client.DeleteAsync($"/api/audio/{id}/production")).Json(HttpStatusCode.OK);
        Assert.True(detached.IsNull("production_id"));
        Assert.True(detached.IsNull("production"));

        Assert.Equal(["audio.registered", "audio.moved_to_production", "audio.detached_from_production"],
            (await App.Events($"audio:{id}")).Select(e => e.EventTypeName));
    }

    [Fact]
    public async Task moving_to_a_missing_production_or_detaching_twice_is_refused()
    {
        var image = await Client.RegisteredImage();
        var id = image.Long("id");

        await (await Client.SendJson(HttpMethod.Put, $"/api/images/{id}/production", new { production_id = "prod_nowhere" })).Problem(HttpStatusCode.UnprocessableEntity);
        await (await Client.SendJson(HttpMethod.Put, $"/api/images/{id}/production", new { production_id = "" })).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("not in a production", await (await Client.DeleteAsync($"/api/images/{id}/production")).Problem(HttpStatusCode.Conflict));
        Assert.Single(await App.Events($"image:{id}"));
    }

    [Fact]
    public async Task a_deleted_asset_leaves_the_views_frees_its_filename_and_keeps_its_events()
    {
        var image = await Client.RegisteredImage("bye.png");
        var id = image.Long("id");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{id}")).StatusCode);
        await (await Client.GetAsync($"/api/gallery/image/{id}")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/media/image/{id}")).Problem(HttpStatusCode.NotFound);
        await (await Client.DeleteAsync($"/api/images/{id}")).Problem(HttpStatusCode.NotFound);
        await (await Patch($"/api/images/{id}", """{"prompt":"x"}""")).Problem(HttpStatusCode.NotFound);

        Assert.Equal(["image.registered", "image.trashed"], (await App.Events($"image:{id}")).Select(e => e.EventTypeName));
        await Client.RegisteredImage("bye.png", seed: 4);
    }
}
