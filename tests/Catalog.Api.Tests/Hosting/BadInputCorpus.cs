using Catalog.Api.Tests.Faults;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// Malformed requests against every endpoint, as a careless client or an attacker sends them: each is answered with the
/// status that names the fault (never a 5xx) and a ProblemDetails whose detail says what to fix — and together they
/// change nothing: the catalog's events and its blobs are the same after them as before.
/// </summary>
public sealed class BadInputCorpus(CatalogApp app) : ApiTest(app)
{
    /// <summary>One request of the corpus: what is sent, and the status it must get.</summary>
    public sealed record Case(string Name, HttpMethod Method, string Url, Func<HttpContent?> Body, HttpStatusCode Expected, (string, string)[]? Headers = null)
    {
        public override string ToString() => Name;
    }

    private const string Nul = "\\u0000";

    private static Func<HttpContent?> Json(string json) => () => new StringContent(json, Encoding.UTF8, "application/json");
    private static Func<HttpContent?> Text(string text, string type = "text/plain") => () => new StringContent(text, Encoding.UTF8, type);
    private static Func<HttpContent?> Bytes(byte[] bytes, string type = "application/octet-stream") => () =>
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    };
    private static readonly Func<HttpContent?> None = () => null;

    /// <summary>A multipart upload: the file (when given) and text fields.</summary>
    private static Func<HttpContent?> Form(byte[]? file, string fileName = "x.png", params (string Name, string Value)[] fields) => () =>
    {
        var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", fileName);
        }
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    };

    private static readonly byte[] Png = TestMedia.Png(seed: 7);
    private static readonly (string, string) ImageType = ("image_type", "generated");

    /// <summary>A multipart body that stops before its closing boundary.</summary>
    private static Func<HttpContent?> Unterminated() => () =>
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n" +
                   Encoding.Latin1.GetString(Png);
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return content;
    };

    public static TheoryData<Case> Corpus()
    {
        var g = HttpMethod.Get;
        var post = HttpMethod.Post;
        var put = HttpMethod.Put;
        var patch = HttpMethod.Patch;
        var delete = HttpMethod.Delete;
        var bad = HttpStatusCode.BadRequest;
        var notFound = HttpStatusCode.NotFound;
        var conflict = HttpStatusCode.Conflict;
        var unsupported = HttpStatusCode.UnsupportedMediaType;
        var unprocessable = HttpStatusCode.UnprocessableEntity;
        var cases = new List<Case>
        {
            // Creating a production
            new("create: no body", post, "/api/productions", None, unsupported),
            new("create: as a form (a foreign page's way)", post, "/api/productions", Form(null, "x", ("title", "x")), unsupported),
            new("purge: with a form body", post, "/api/admin/purge?all=true", Text("all=true", "application/x-www-form-urlencoded"), unsupported),
            new("restore: with a body", post, "/api/productions/prod_ok/restore", Json("{}"), unsupported),
            new("create: empty JSON body", post, "/api/productions", Json(""), bad),
            new("create: broken JSON", post, "/api/productions", Json("{"), bad),
            new("create: an array", post, "/api/productions", Json("[]"), bad),
            new("create: a title of the wrong type", post, "/api/productions", Json("""{"title": 5}"""), bad),
            new("create: an unknown field", post, "/api/productions", Json("""{"colour": "red"}"""), bad),
            new("create: NUL in the id", post, "/api/productions", Json($$"""{"id": "prod{{Nul}}x"}"""), bad),
            new("create: NUL in the title", post, "/api/productions", Json($$"""{"title": "a{{Nul}}b"}"""), bad),
            new("create: a bell in the artist", post, "/api/productions", Json("""{"artist": "a\u0007b"}"""), bad),
            new("create: an id with a space", post, "/api/productions", Json("""{"id": "prod x"}"""), bad),
            new("create: an id of 129 characters", post, "/api/productions", Json($$"""{"id": "{{new string('a', 129)}}"}"""), bad),
            new("create: a title of 1,001 characters", post, "/api/productions", Json($$"""{"title": "{{new string('t', 1001)}}"}"""), bad),
            new("create: as text/plain", post, "/api/productions", Text("""{"title": "x"}"""), unsupported),
            new("create: an existing id", post, "/api/productions", Json("""{"id": "prod_ok"}"""), conflict),
            // Changing a production
            new("patch: nothing to change", patch, "/api/productions/prod_ok", Json("{}"), bad),
            new("patch: NUL in the title", patch, "/api/productions/prod_ok", Json($$"""{"title": "a{{Nul}}b"}"""), bad),
            new("patch: an unknown field", patch, "/api/productions/prod_ok", Json("""{"year": 2026}"""), bad),
            new("patch: broken JSON", patch, "/api/productions/prod_ok", Json("""{"title": """), bad),
            new("patch: expected_version not a number", patch, "/api/productions/prod_ok?expected_version=abc", Json("""{"title": "x"}"""), bad),
            new("patch: a stale expected_version", patch, "/api/productions/prod_ok?expected_version=99", Json("""{"title": "x"}"""), conflict),
            new("patch: a bell in the path", patch, "/api/productions/prod%07ok", Json("""{"title": "x"}"""), bad),
            new("patch: a production that is not there", patch, "/api/productions/prod_none", Json("""{"title": "x"}"""), notFound),
            new("status: not a status", post, "/api/productions/prod_ok/status", Json("""{"status": "Done"}"""), bad),
            new("status: null", post, "/api/productions/prod_ok/status", Json("""{"status": null}"""), bad),
            new("status: empty", post, "/api/productions/prod_ok/status", Json("{}"), bad),
            new("status: a jump the lifecycle forbids", post, "/api/productions/prod_ok/status", Json("""{"status": "completed"}"""), conflict),
            new("storyboard: as text/plain", put, "/api/productions/prod_ok/storyboard", Text("{}"), unsupported),
            new("storyboard: broken JSON", put, "/api/productions/prod_ok/storyboard", Json("""{"scenes": ["""), bad),
            new("storyboard: empty", put, "/api/productions/prod_ok/storyboard", Json(""), bad),
            new("storyboard: NUL inside", put, "/api/productions/prod_ok/storyboard", Json($$"""{"scene": "a{{Nul}}b"}"""), bad),
            new("storyboard: larger than 16 MiB", put, "/api/productions/prod_ok/storyboard",
                () => new ByteArrayContent(new byte[16 * 1024 * 1024 + 10]) { Headers = { ContentType = new("application/json") } }, HttpStatusCode.RequestEntityTooLarge),
            new("settings: broken JSON", put, "/api/productions/prod_ok/settings", Json("{"), bad),
            new("settings: not UTF-8", put, "/api/productions/prod_ok/settings", Bytes([0x7B, 0xFF, 0xFE, 0x7D], "application/json"), bad),
            new("audio: neither an id nor a filename", put, "/api/productions/prod_ok/audio", Json("{}"), bad),
            new("audio: an audio id that is not there", put, "/api/productions/prod_ok/audio", Json("""{"audio_id": 999}"""), unprocessable),
            new("audio: a negative duration", put, "/api/productions/prod_ok/audio", Json("""{"audio_filename": "a.wav", "audio_duration": -1}"""), bad),
            new("audio: an id that is text", put, "/api/productions/prod_ok/audio", Json("""{"audio_id": "x"}"""), bad),
            new("delete: a production that is not there", delete, "/api/productions/prod_none", None, notFound),
            new("delete: expected_version not a number", delete, "/api/productions/prod_ok?expected_version=x", None, bad),
            new("restore: a live production", post, "/api/productions/prod_ok/restore", None, conflict),
            new("restore: a production that never was", post, "/api/productions/prod_never/restore", None, notFound),
            // Uploading
            new("upload: JSON instead of a form", post, "/api/images", Json("""{"image_type": "generated"}"""), unsupported),
            new("upload: no file", post, "/api/images", Form(null, "x.png", ImageType), bad),
            new("upload: multipart without a boundary", post, "/api/images", Text("x", "multipart/form-data"), bad),
            new("upload: a form cut before its closing boundary", post, "/api/images", Unterminated(), bad),
            new("upload: an empty file", post, "/api/images", Form([], "x.png", ImageType), bad),
            new("batch upload: JSON instead of a form", post, "/api/images/batch", Json("""{"image_type": "generated"}"""), unsupported),
            new("batch upload: no file", post, "/api/images/batch", Form(null, "x.png", ImageType), bad),
            new("batch upload: multipart without a boundary", post, "/api/images/batch", Text("x", "multipart/form-data"), bad),
            new("batch upload: a form cut before its closing boundary", post, "/api/images/batch", Unterminated(), bad),
            new("upload: text that is no media", post, "/api/images", Form(Encoding.UTF8.GetBytes("just text"), "x.png", ImageType), unsupported),
            new("upload: a video as an image", post, "/api/images", Form(TestMedia.Mp4(), "x.png", ImageType), unsupported),
            new("upload: an image as audio", post, "/api/audio", Form(Png, "x.wav", ("audio_type", "original")), unsupported),
            new("upload: no image_type", post, "/api/images", Form(Png, "x.png"), bad),
            new("upload: NUL in the prompt", post, "/api/images", Form(Png, "x.png", ImageType, ("prompt", "a\0b")), bad),
            new("upload: NUL in the type", post, "/api/images", Form(Png, "x.png", ("image_type", "gen\0erated")), bad),
            new("upload: NUL in the production id", post, "/api/images", Form(Png, "x.png", ImageType, ("production_id", "a\0b")), unprocessable),
            new("upload: a production that is not there", post, "/api/images", Form(Png, "x.png", ImageType, ("production_id", "prod_none")), unprocessable),
            new("upload: an unknown field", post, "/api/images", Form(Png, "x.png", ImageType, ("colour", "red")), bad),
            new("upload: a field twice", post, "/api/images", Form(Png, "x.png", ImageType, ImageType), bad),
            new("upload: cfg that is text", post, "/api/images", Form(Png, "x.png", ImageType, ("cfg", "abc")), bad),
            new("upload: steps that is a fraction", post, "/api/images", Form(Png, "x.png", ImageType, ("steps", "1.5")), bad),
            new("upload: a filename that climbs out", post, "/api/images", Form(Png, "x.png", ImageType, ("filename", "../x.png")), bad),
            new("upload: a filename with a direction override", post, "/api/images", Form(Png, "x.png", ImageType, ("filename", "gnp\u202E.exe")), bad),
            new("upload: a filename with a tab", post, "/api/images", Form(Png, "x.png", ImageType, ("filename", "a\tb.png")), bad),
            new("upload: created_at that is no time", post, "/api/images", Form(Png, "x.png", ImageType, ("created_at", "yesterday")), bad),
            new("upload: a PNG cut short", post, "/api/images", Form(Png[..100], "cut.png", ImageType), unprocessable),
            new("upload: an MP4 cut short", post, "/api/videos", Form(TestMedia.Mp4()[..6000], "cut.mp4", ("video_type", "clip")), unprocessable),
            new("upload: a WAV cut short", post, "/api/audio", Form(TestMedia.Wav()[..2000], "cut.wav", ("audio_type", "original")), unprocessable),
            new("upload: over the size limit", post, "/api/images", Form(new byte[CatalogApp.MaxUploadBytes + 1], "big.png", ImageType), HttpStatusCode.RequestEntityTooLarge),
            new("upload: a filename already taken", post, "/api/images", Form(TestMedia.Png(seed: 8), "taken.png", ImageType), conflict),
            new("upload: a negative fps", post, "/api/videos", Form(TestMedia.Mp4(), "v.mp4", ("video_type", "clip"), ("fps", "-3")), bad),
            new("upload: a sample rate that is text", post, "/api/audio", Form(TestMedia.Wav(), "a.wav", ("audio_type", "original"), ("sample_rate", "high")), bad),
            // Changing an asset
            new("correct: as text/plain", patch, "/api/images/{image}", Text("""{"prompt": "x"}"""), unsupported),
            new("correct: an array", patch, "/api/images/{image}", Json("[]"), bad),
            new("correct: broken JSON", patch, "/api/images/{image}", Json("{"), bad),
            new("correct: an unknown field", patch, "/api/images/{image}", Json("""{"colour": "red"}"""), bad),
            new("correct: steps that is text", patch, "/api/images/{image}", Json("""{"steps": "x"}"""), bad),
            new("correct: NUL in the prompt", patch, "/api/images/{image}", Json($$"""{"prompt": "a{{Nul}}b"}"""), bad),
            new("correct: the type cleared", patch, "/api/images/{image}", Json("""{"image_type": null}"""), bad),
            new("correct: an id that is text", patch, "/api/images/abc", Json("""{"prompt": "x"}"""), bad),
            new("correct: an image that is not there", patch, "/api/images/999", Json("""{"prompt": "x"}"""), notFound),
            new("correct: a video's fps below 0", patch, "/api/videos/{video}", Json("""{"fps": -24}"""), bad),
            new("move: no production", put, "/api/images/{image}/production", Json("{}"), bad),
            new("move: a production that is not there", put, "/api/images/{image}/production", Json("""{"production_id": "prod_none"}"""), unprocessable),
            new("move: NUL in the production", put, "/api/images/{image}/production", Json($$"""{"production_id": "a{{Nul}}"}"""), unprocessable),
            new("move: into the production it is in", put, "/api/images/{image}/production", Json("""{"production_id": "prod_ok"}"""), conflict),
            new("detach: an asset in no production", delete, "/api/audio/{audio}/production", None, conflict),
            new("delete: an id that is text", delete, "/api/images/abc", None, bad),
            new("delete: id 0", delete, "/api/images/0", None, bad),
            new("delete: an image that is not there", delete, "/api/images/999", None, notFound),
            new("restore: a live image", post, "/api/images/{image}/restore", None, conflict),
            // Browsing
            new("list: limit 0", g, "/api/gallery/images?limit=0", None, bad),
            new("list: limit 201", g, "/api/gallery/images?limit=201", None, bad),
            new("list: limit that is text", g, "/api/gallery/images?limit=abc", None, bad),
            new("list: a negative offset", g, "/api/gallery/videos?offset=-1", None, bad),
            new("list: NUL in production_id", g, "/api/gallery/images?production_id=a%00b", None, bad),
            new("list: a bell in type", g, "/api/gallery/audio?type=a%07b", None, bad),
            new("productions: limit that is text", g, "/api/gallery/productions?limit=x", None, bad),
            new("detail: an id that is text", g, "/api/gallery/image/abc", None, bad),
            new("detail: as_of that is no time", g, "/api/gallery/image/{image}?as_of=yesterday", None, bad),
            new("detail: version 0", g, "/api/gallery/image/{image}?version=0", None, bad),
            new("detail: version and as_of", g, "/api/gallery/image/{image}?version=1&as_of=2026-01-01T00:00:00Z", None, bad),
            new("detail: an image that is not there", g, "/api/gallery/image/999", None, notFound),
            new("detail: a production that is not there", g, "/api/gallery/production/prod_none", None, notFound),
            new("detail: a production as_of no time", g, "/api/gallery/production/prod_ok?as_of=soon", None, bad),
            new("search: no q", g, "/api/gallery/search", None, bad),
            new("search: NUL in q", g, "/api/gallery/search?q=night%00x", None, bad),
            new("search: no words in q", g, "/api/gallery/search?q=%25%25", None, bad),
            new("search: an unknown type", g, "/api/gallery/search?q=x&type=bogus", None, bad),
            new("search: limit 0", g, "/api/gallery/search?q=x&limit=0", None, bad),
            new("search: q of 501 characters", g, $"/api/gallery/search?q={new string('q', 501)}", None, bad),
            new("trash: an unknown kind", g, "/api/gallery/trash?kind=bogus", None, bad),
            new("trash: limit that is text", g, "/api/gallery/trash?limit=x", None, bad),
            // Media
            new("media: an id that is text", g, "/api/media/image/abc", None, bad),
            new("media: an image that is not there", g, "/api/media/image/999", None, notFound),
            new("media: a range past the end", g, "/api/media/image/{image}", None, HttpStatusCode.RequestedRangeNotSatisfiable, [("Range", "bytes=999999-")]),
            // History
            new("history: an id that is text", g, "/api/history/images/abc", None, bad),
            new("history: an image that never was", g, "/api/history/images/999", None, notFound),
            new("history: a production that never was", g, "/api/history/productions/prod_never", None, notFound),
            new("history: include something else", g, "/api/history/productions/prod_ok?include=bogus", None, bad),
            new("feed: an unknown kind", g, "/api/history?kind=bogus", None, bad),
            new("feed: limit 5,000", g, "/api/history?limit=5000", None, bad),
            new("feed: since that is no time", g, "/api/history?since=now", None, bad),
            new("feed: before that is text", g, "/api/history?before=x", None, bad),
            // Exports and imports
            new("export: an unknown mode", post, "/api/exports", Json("""{"mode": "zip"}"""), bad),
            new("export: a production that is not there", post, "/api/exports", Json("""{"production_id": "prod_none"}"""), unprocessable),
            new("export: as_of in the future", post, "/api/exports", Json("""{"as_of": "2999-01-01T00:00:00Z"}"""), bad),
            new("export: broken JSON", post, "/api/exports", Json("{"), bad),
            new("export: an unknown field", post, "/api/exports", Json("""{"format": "zip"}"""), bad),
            new("export: not there", g, "/api/exports/exp_none", None, notFound),
            new("export file: not there", g, "/api/exports/exp_none/file", None, notFound),
            new("import: JSON", post, "/api/imports", Json("{}"), unsupported),
            new("import: bytes that are no SQLite file", post, "/api/imports", Bytes(Encoding.UTF8.GetBytes("not a database at all")), unsupported),
            new("import: an empty body", post, "/api/imports", Bytes([]), bad),
            new("import: over the size limit", post, "/api/imports", Bytes(new byte[CatalogApp.MaxUploadBytes + 1]), HttpStatusCode.RequestEntityTooLarge),
            new("import: not there", g, "/api/imports/imp_none", None, notFound),
            // Admin and the request itself
            new("purge: all that is not a boolean", post, "/api/admin/purge?all=maybe", None, bad),
            new("a URL of 9 KiB", g, $"/api/gallery/images?x={new string('u', 9 * 1024)}", None, HttpStatusCode.RequestUriTooLong),
            new("headers of 40 KiB", g, "/api/gallery/images", None, HttpStatusCode.RequestHeaderFieldsTooLarge, [("X-Padding", new string('h', 40 * 1024))]),
            new("a bell in the path", g, "/api/gallery/production/a%07b", None, bad),
        };
        var data = new TheoryData<Case>();
        foreach (var c in cases) data.Add(c);
        return data;
    }

    [Fact]
    public void the_corpus_has_more_than_a_hundred_requests() => Assert.True(Corpus().Count >= 100, $"{Corpus().Count} cases");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task each_is_a_4xx_problem_that_says_what_to_fix_and_changes_nothing(Case request)
    {
        await Client.CreatedProduction("prod_ok");
        var image = await Client.RegisteredImage("taken.png", "prod_ok", seed: 8);
        var video = await Client.RegisteredVideo("v1.mp4", "prod_ok");
        var audio = await Client.RegisteredAudio("a1.wav");
        var url = request.Url.Replace("{image}", image.Long("id").ToString()).Replace("{video}", video.Long("id").ToString())
            .Replace("{audio}", audio.Long("id").ToString());
        var events = await App.EventCount();
        var blobs = Blobs();

        using var message = new HttpRequestMessage(request.Method, url) { Content = request.Body() };
        foreach (var (name, value) in request.Headers ?? []) message.Headers.TryAddWithoutValidation(name, value);
        using var response = await Client.SendAsync(message);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == request.Expected, $"{request.Name}: expected {(int)request.Expected}, got {(int)response.StatusCode}: {body}");
        if (request.Expected != HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
            Assert.False(string.IsNullOrWhiteSpace(detail), $"{request.Name}: no detail");
            Assert.DoesNotContain("System.", detail);
            Assert.DoesNotContain("Catalog.", detail);
        }
        Assert.Equal(events, await App.EventCount());
        Assert.Equal(blobs, Blobs());
        Assert.Empty(Acknowledged.Staging(App.BlobDirectory));
    }

    /// <summary>The blobs in the store (the staging folder aside).</summary>
    private List<string> Blobs() =>
        Directory.GetFiles(App.BlobDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tmp{Path.DirectorySeparatorChar}")).Order().ToList();
}
