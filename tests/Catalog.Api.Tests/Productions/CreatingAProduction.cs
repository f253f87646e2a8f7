using System.Net;
using System.Net.Http.Json;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Productions;

public sealed class CreatingAProduction(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task keeps_a_caller_supplied_id_and_starts_as_draft()
    {
        var response = await Client.PostAsJsonAsync("/api/productions", new { id = "prod_abc123", title = "Night Drive", artist = "Van Williams" });
        var production = await response.Json(HttpStatusCode.Created);

        Assert.Equal("/api/gallery/production/prod_abc123", response.Headers.Location?.OriginalString);
        Assert.Equal("prod_abc123", production.Str("id"));
        Assert.Equal("Night Drive", production.Str("title"));
        Assert.Equal("Van Williams", production.Str("artist"));
        Assert.Equal("draft", production.Str("status"));
        Assert.Equal(1, production.Long("version"));
        Assert.EndsWith("Z", production.Str("created_at"));
        Assert.Equal(production.Str("created_at"), production.Str("updated_at"));

        var read = await (await Client.GetAsync("/api/gallery/production/prod_abc123")).Json(HttpStatusCode.OK);
        Assert.Equal("Night Drive", read.GetProperty("production").Str("title"));
    }

    [Fact]
    public async Task makes_an_id_when_none_is_given()
    {
        var production = await Client.CreatedProduction(id: null);
        Assert.Matches("^prod_[a-z2-7]{16}$", production.Str("id"));
    }

    [Fact]
    public async Task records_who_and_the_correlation_id_on_the_event()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/productions") { Content = JsonContent.Create(new { id = "prod_who" }) };
        request.Headers.Add("X-Actor", "alice");
        request.Headers.Add("X-Correlation-Id", "corr-42");
        var response = await Client.SendAsync(request);
        await response.Json(HttpStatusCode.Created);
        Assert.Equal("corr-42", response.Headers.GetValues("X-Correlation-Id").Single());

        var created = Assert.Single(await App.Events("production:prod_who"));
        Assert.Equal("production.created", created.EventTypeName);
        Assert.Equal("alice", created.UserName);
        Assert.Equal("tests", created.Headers!["via"]?.ToString()); // the key that acted for alice
        Assert.Equal("corr-42", created.CorrelationId);
    }

    [Fact]
    public async Task without_an_actor_the_event_names_the_key_and_gets_a_correlation_id()
    {
        await Client.CreatedProduction("prod_anon");
        var created = Assert.Single(await App.Events("production:prod_anon"));
        Assert.Equal("tests", created.UserName); // the name of the key the tests send
        Assert.False(created.Headers?.ContainsKey("via") ?? false);
        Assert.False(string.IsNullOrEmpty(created.CorrelationId));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("../etc")]
    [InlineData("image:1")]
    [InlineData("-leading-dash")]
    public async Task an_invalid_id_is_a_400_and_appends_nothing(string id)
    {
        var response = await Client.PostAsJsonAsync("/api/productions", new { id });
        Assert.Contains("not a valid production id", await response.Problem(HttpStatusCode.BadRequest));
        Assert.Equal(0, await App.EventCount());
    }

    [Fact]
    public async Task an_existing_id_is_a_409_and_appends_nothing()
    {
        await Client.CreatedProduction("prod_dup");
        var response = await Client.PostAsJsonAsync("/api/productions", new { id = "prod_dup", title = "Other" });
        Assert.Contains("already exists", await response.Problem(HttpStatusCode.Conflict));
        Assert.Equal(1, await App.EventCount());
    }

    [Fact]
    public async Task a_malformed_body_is_a_400()
    {
        var post = await Client.PostAsync("/api/productions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await App.EventCount());
    }

    [Fact]
    public async Task a_seed_row_keeps_every_column_and_is_recorded_as_imported()
    {
        var response = await Client.PostAsJsonAsync("/api/productions", new
        {
            id = "prod_row", title = "Night Drive", artist = "Van Williams", audio_filename = "night-drive.wav", audio_duration = 182.5,
            status = "archived", storyboard = new { clips = new[] { new { id = "clip_001" } } }, settings_json = "{\"fps\": 24}",
            created_at = "2024-05-06T07:08:09Z", updated_at = "2024-06-01T00:00:00Z",
        });
        var production = await response.Json(HttpStatusCode.Created);

        Assert.Equal(("night-drive.wav", 182.5, "archived"), (production.Str("audio_filename"), production.GetProperty("audio_duration").GetDouble(),
            production.Str("status")));
        Assert.Equal(("2024-05-06T07:08:09Z", "2024-06-01T00:00:00Z"), (production.Str("created_at"), production.Str("updated_at")));
        var read = (await (await Client.GetAsync("/api/gallery/production/prod_row")).Json(HttpStatusCode.OK)).GetProperty("production");
        Assert.Equal("""{"clips":[{"id":"clip_001"}]}""", read.Str("storyboard_json"));
        Assert.Equal("""{"fps": 24}""", read.Str("settings_json"));
        Assert.Equal("production.imported", Assert.Single(await App.Events("production:prod_row")).EventTypeName);

        // A status from elsewhere is kept, listed, and the lifecycle moves it to one of its own.
        Assert.Single((await Client.GetJson("/api/gallery/productions?status=archived")).Ids());
        var moved = await Client.SendJson(HttpMethod.Post, "/api/productions/prod_row/status", new { status = "draft" });
        Assert.Equal("draft", (await moved.Json(HttpStatusCode.OK)).Str("status"));
    }

    [Theory]
    [InlineData("""{"id": "prod_x", "titel": "typo"}""", "titel")]
    [InlineData("""{"id": "prod_x", "audio_durations": 3}""", "audio_durations")]
    [InlineData("""{"id": "prod_x", "storyboard": {}, "storyboard_json": "{}"}""", "storyboard or storyboard_json, not both")]
    [InlineData("""{"id": "prod_x", "status": "  "}""", "status may not be empty")]
    public async Task an_unknown_or_doubled_field_is_a_400_that_names_it_and_appends_nothing(string body, string named)
    {
        var post = await Client.PostAsync("/api/productions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains(named, await post.Problem(HttpStatusCode.BadRequest));
        Assert.Equal(0, await App.EventCount());
    }

    [Fact]
    public async Task a_whole_row_with_an_existing_id_is_a_409()
    {
        await Client.CreatedProduction("prod_twice");
        var post = await Client.PostAsJsonAsync("/api/productions", new { id = "prod_twice", audio_filename = "x.wav" });
        Assert.Contains("already exists", await post.Problem(HttpStatusCode.Conflict));
        Assert.Equal(1, await App.EventCount());
    }
}
