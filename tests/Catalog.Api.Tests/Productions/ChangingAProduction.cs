using System.Net;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Productions;

public sealed class ChangingAProduction(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task changes_title_and_artist_leaving_out_keeps_and_empty_clears()
    {
        await Client.CreatedProduction("prod_d", "Old", "Someone");

        var renamed = await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_d", new { title = "New" })).Json(HttpStatusCode.OK);
        Assert.Equal("New", renamed.Str("title"));
        Assert.Equal("Someone", renamed.Str("artist"));

        var cleared = await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_d", new { artist = "" })).Json(HttpStatusCode.OK);
        Assert.True(cleared.IsNull("artist"));
        Assert.Equal(3, cleared.Long("version"));

        var events = await App.Events("production:prod_d");
        Assert.Equal(["production.created", "production.details_changed", "production.details_changed"], events.Select(e => e.EventTypeName));
    }

    [Fact]
    public async Task an_empty_patch_is_a_400()
    {
        await Client.CreatedProduction("prod_e");
        var response = await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_e", new { });
        await response.Problem(HttpStatusCode.BadRequest);
        Assert.Equal(1, await App.EventCount());
    }

    [Fact]
    public async Task commands_on_an_unknown_production_are_404_and_append_nothing()
    {
        await (await Client.SendJson(HttpMethod.Patch, "/api/productions/nope", new { title = "x" })).Problem(HttpStatusCode.NotFound);
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/nope/status", new { status = "generating" })).Problem(HttpStatusCode.NotFound);
        await (await Client.PutRaw("/api/productions/nope/storyboard", "{}")).Problem(HttpStatusCode.NotFound);
        await (await Client.DeleteAsync("/api/productions/nope")).Problem(HttpStatusCode.NotFound);
        Assert.Equal(0, await App.EventCount());
    }

    [Fact]
    public async Task storyboard_and_settings_are_kept_exactly_as_sent()
    {
        await Client.CreatedProduction("prod_s");
        const string storyboard = """{"scenes":[{"clip_id":"c1","image":"frame_001.png","prompt":"neon \"rain\""}],"bpm":120}""";
        const string settings = """{ "resolution" : "720p", "seed": 7 }""";

        await (await Client.PutRaw("/api/productions/prod_s/storyboard", storyboard)).Json(HttpStatusCode.OK);
        var after = await (await Client.PutRaw("/api/productions/prod_s/settings", settings)).Json(HttpStatusCode.OK);

        Assert.Equal(storyboard, after.Str("storyboard_json"));
        Assert.Equal(settings, after.Str("settings_json"));
        Assert.Equal(3, after.Long("version"));
    }

    [Fact]
    public async Task a_storyboard_that_is_not_json_is_a_400_and_appends_nothing()
    {
        await Client.CreatedProduction("prod_bad");
        Assert.Contains("not valid JSON", await (await Client.PutRaw("/api/productions/prod_bad/storyboard", "{\"scenes\": [")).Problem(HttpStatusCode.BadRequest));
        await (await Client.PutRaw("/api/productions/prod_bad/settings", "")).Problem(HttpStatusCode.BadRequest);
        await (await Client.PutRaw("/api/productions/prod_bad/settings", "{}", "text/plain")).Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(1, await App.EventCount());
    }

    [Fact]
    public async Task attaching_a_registered_audio_takes_its_filename_and_duration()
    {
        await Client.CreatedProduction("prod_a");
        var audio = await Client.RegisteredAudio("song.wav");

        var production = await (await Client.SendJson(HttpMethod.Put, "/api/productions/prod_a/audio", new { audio_id = audio.Long("id") }))
            .Json(HttpStatusCode.OK);

        Assert.Equal("song.wav", production.Str("audio_filename"));
        Assert.Equal(0.5, production.GetProperty("audio_duration").GetDouble());
        Assert.Equal(audio.Long("id"), production.Long("audio_id"));
    }

    [Fact]
    public async Task attaching_audio_by_filename_or_an_unknown_audio_id()
    {
        await Client.CreatedProduction("prod_f");
        var byName = await (await Client.SendJson(HttpMethod.Put, "/api/productions/prod_f/audio",
            new { audio_filename = "old/track.mp3", audio_duration = 183.5 })).Json(HttpStatusCode.OK);
        Assert.Equal("old/track.mp3", byName.Str("audio_filename"));
        Assert.True(byName.IsNull("audio_id"));

        await (await Client.SendJson(HttpMethod.Put, "/api/productions/prod_f/audio", new { audio_id = 987654 }))
            .Problem(HttpStatusCode.UnprocessableEntity);
        await (await Client.SendJson(HttpMethod.Put, "/api/productions/prod_f/audio", new { }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal(2, await App.EventCount());
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_409_and_appends_nothing()
    {
        await Client.CreatedProduction("prod_v");
        await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_v?expected_version=1", new { title = "Second" })).Json(HttpStatusCode.OK);

        var stale = await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_v?expected_version=1", new { title = "Lost update" });
        Assert.Contains("version 2, not the expected 1", await stale.Problem(HttpStatusCode.Conflict));
        await (await Client.DeleteAsync("/api/productions/prod_v?expected_version=1")).Problem(HttpStatusCode.Conflict);
        await (await Client.SendJson(HttpMethod.Patch, "/api/productions/prod_v?expected_version=abc", new { title = "x" })).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(2, await App.EventCount());
        var read = await (await Client.GetAsync("/api/gallery/production/prod_v")).Json(HttpStatusCode.OK);
        Assert.Equal("Second", read.GetProperty("production").Str("title"));
    }
}
