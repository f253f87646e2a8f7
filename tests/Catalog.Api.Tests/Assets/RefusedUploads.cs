using Catalog.Api.Tests.Faults;
using System.Net;
using System.Text;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Assets;

/// <summary>Every refused upload answers ProblemDetails with its status and appends nothing.</summary>
public sealed class RefusedUploads(CatalogApp app) : ApiTest(app)
{
    private static Dictionary<string, string> Image(params (string, string)[] extra)
    {
        var fields = new Dictionary<string, string> { ["image_type"] = "generated" };
        foreach (var (k, v) in extra) fields[k] = v;
        return fields;
    }

    private async Task AssertNothingAppendedOrLeftBehind()
    {
        Assert.Equal(0, await App.EventCount());
        Assert.Empty(Acknowledged.Staging(App.BlobDirectory));
    }

    [Fact]
    public async Task a_duplicate_filename_is_a_409()
    {
        await Client.RegisteredImage("taken.png");
        var count = await App.EventCount();
        var response = await Client.Register("images", TestMedia.Png(seed: 5), "taken.png", Image());
        Assert.Contains("already taken", await response.Problem(HttpStatusCode.Conflict));
        Assert.Equal(count, await App.EventCount());

        // Filenames are unique per kind: a video may share it.
        await (await Client.Register("videos", TestMedia.Mp4(), "taken.png", new Dictionary<string, string> { ["video_type"] = "clip" }))
            .Json(HttpStatusCode.Created);
    }

    [Fact]
    public async Task into_an_unknown_production_is_a_422()
    {
        var response = await Client.Register("images", TestMedia.Png(), "x.png", Image(("production_id", "prod_missing")));
        Assert.Contains("prod_missing", await response.Problem(HttpStatusCode.UnprocessableEntity));
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task an_empty_file_is_a_400()
    {
        await (await Client.Register("images", [], "empty.png", Image())).Problem(HttpStatusCode.BadRequest);
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task a_file_over_the_limit_is_a_413()
    {
        var big = new byte[CatalogApp.MaxUploadBytes + 1];
        TestMedia.Png().CopyTo(big, 0);
        var response = await Client.Register("images", big, "huge.png", Image());
        await response.Problem(HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingAppendedOrLeftBehind();
    }

    [Theory]
    [InlineData("notes.png", "just some text, not a picture")]
    [InlineData("page.jpg", "<!DOCTYPE html><html><body>hi</body></html>")]
    public async Task bytes_that_are_no_known_media_are_a_415(string name, string content)
    {
        var response = await Client.Register("images", Encoding.UTF8.GetBytes(content), name, Image());
        Assert.Contains("not in a recognised", await response.Problem(HttpStatusCode.UnsupportedMediaType));
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task media_of_another_kind_is_a_415()
    {
        var response = await Client.Register("images", TestMedia.Wav(), "sound.png", Image());
        Assert.Contains("audio/wav", await response.Problem(HttpStatusCode.UnsupportedMediaType));
        await (await Client.Register("audio", TestMedia.Mp4(), "clip.wav", new Dictionary<string, string> { ["audio_type"] = "original" }))
            .Problem(HttpStatusCode.UnsupportedMediaType);
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task a_json_body_instead_of_multipart_is_a_415()
    {
        await (await Client.SendJson(HttpMethod.Post, "/api/images", new { filename = "x.png" })).Problem(HttpStatusCode.UnsupportedMediaType);
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task a_form_without_a_file_is_a_400()
    {
        var form = new MultipartFormDataContent { { new StringContent("generated"), "image_type" } };
        Assert.Contains("no file", await (await Client.PostAsync("/api/images", form)).Problem(HttpStatusCode.BadRequest));
        await AssertNothingAppendedOrLeftBehind();
    }

    [Theory]
    [InlineData("image_type", "post\u0001er", "image_type contains the control character U+0001")]
    [InlineData("image_type", "an image type of more than sixty-four characters, which is too long", "image_type is longer than 64 characters")]
    [InlineData("steps", "many", "steps must be an integer")]
    [InlineData("cfg", "-1", "cfg must be a number of 0 or more")]
    [InlineData("size", "an image size of more than fifty characters: 1024 by 576", "size is longer than 50 characters")]
    [InlineData("colour", "red", "Unknown field(s): colour")]
    [InlineData("created_at", "yesterday", "not an ISO-8601 timestamp")]
    public async Task a_bad_field_is_a_400(string field, string value, string message)
    {
        var response = await Client.Register("images", TestMedia.Png(), "f.png", Image((field, value)));
        Assert.Contains(message, await response.Problem(HttpStatusCode.BadRequest));
        await AssertNothingAppendedOrLeftBehind();
    }

    [Theory]
    [InlineData("../escape.png")]
    [InlineData("..")]
    [InlineData(" padded.png")]
    public async Task a_filename_that_could_leave_its_folder_is_a_400(string filename)
    {
        var response = await Client.Register("images", TestMedia.Png(), "upload.png", Image(("filename", filename)));
        Assert.Contains("filename", await response.Problem(HttpStatusCode.BadRequest));
        await AssertNothingAppendedOrLeftBehind();
    }

    [Fact]
    public async Task a_missing_type_is_a_400()
    {
        var response = await Client.Register("videos", TestMedia.Mp4(), "c.mp4", new Dictionary<string, string> { ["fps"] = "24" });
        Assert.Contains("video_type is required", await response.Problem(HttpStatusCode.BadRequest));
        await AssertNothingAppendedOrLeftBehind();
    }
}
