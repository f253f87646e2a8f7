using Catalog.Api.Tests.Faults;
using System.Net;
using System.Security.Cryptography;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Assets;

public sealed class RegisteringAssets(CatalogApp app) : ApiTest(app)
{
    public static TheoryData<string, string, string, string, Dictionary<string, string>> RealMedia() => new()
    {
        { "images", "image", "frame.png", "image/png", new() { ["image_type"] = "generated", ["prompt"] = "Van Williams", ["size"] = "64x36", ["mode"] = "txt2img", ["cfg"] = "7.5", ["steps"] = "30", ["clip_id"] = "c1" } },
        { "videos", "video", "clip.mp4", "video/mp4", new() { ["video_type"] = "clip", ["duration"] = "3", ["resolution"] = "720p", ["fps"] = "24", ["source_image_filename"] = "frame.png", ["camera_control"] = "pan left", ["clip_id"] = "c1" } },
        { "audio", "audio", "track.wav", "audio/wav", new() { ["audio_type"] = "original", ["duration"] = "0.5", ["sample_rate"] = "48000" } },
    };

    private static byte[] Bytes(string kind) => kind switch
    {
        "images" => TestMedia.Png(),
        "videos" => TestMedia.Mp4(),
        _ => TestMedia.Wav(),
    };

    [Theory]
    [MemberData(nameof(RealMedia))]
    public async Task the_bytes_come_back_identical_and_the_metadata_as_sent(
        string route, string kind, string fileName, string mimeType, Dictionary<string, string> fields)
    {
        await Client.CreatedProduction("prod_m");
        fields["production_id"] = "prod_m";
        var bytes = Bytes(route);

        var response = await Client.Register(route, bytes, fileName, fields, actor: "bob");
        var asset = await response.Json(HttpStatusCode.Created);
        var id = asset.Long("id");

        Assert.Equal($"/api/gallery/{kind}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(fileName, asset.Str("filename"));
        Assert.Equal(mimeType, asset.Str("mime_type"));
        Assert.Equal(bytes.Length, asset.Long("file_size"));
        Assert.Equal(TestMedia.Sha256(bytes), asset.Str("sha256"));
        Assert.Equal("prod_m", asset.GetProperty("production").Str("id"));
        foreach (var (name, value) in fields.Where(f => f.Key != "production_id"))
            Assert.Equal(value, asset.GetProperty(name).ToString());
        Assert.False(asset.TryGetProperty("binary_data", out _));

        var details = await (await Client.GetAsync($"/api/gallery/{kind}/{id}")).Json(HttpStatusCode.OK);
        Assert.Equal(asset.ToString(), details.ToString());

        var served = await Client.GetAsync($"/api/media/{kind}/{id}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(mimeType, served.Content.Headers.ContentType?.MediaType);
        var body = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal(TestMedia.Sha256(bytes), Convert.ToHexStringLower(SHA256.HashData(body)));

        var registered = Assert.Single(await App.Events($"{kind}:{id}"));
        Assert.Equal($"{kind}.registered", registered.EventTypeName);
        Assert.Equal("bob", registered.UserName);
    }

    [Fact]
    public async Task the_blob_is_in_the_store_under_its_hash_before_anyone_reads_the_event()
    {
        var bytes = TestMedia.Png(seed: 3);
        var image = await Client.RegisteredImage("stored.png", seed: 3);
        var sha = image.Str("sha256");

        var path = Path.Combine(App.BlobDirectory, sha[..2], sha);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Empty(Acknowledged.Staging(App.BlobDirectory));
    }

    [Fact]
    public async Task ids_count_up_per_kind_and_are_never_reused()
    {
        var first = await Client.RegisteredImage("one.png", seed: 1);
        var second = await Client.RegisteredImage("two.png", seed: 2);
        var video = await Client.RegisteredVideo();
        Assert.Equal(first.Long("id") + 1, second.Long("id"));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{second.Long("id")}")).StatusCode);
        var third = await Client.RegisteredImage("two.png", seed: 2);
        Assert.True(third.Long("id") > second.Long("id"));
        Assert.True(video.Long("id") >= 1);
    }

    public static TheoryData<string> EveryFormat() => new(TestMedia.Fixtures);

    /// <summary>The probe <c>import-fs</c> reads with, as this machine has it (ffprobe when installed).</summary>
    private static readonly Catalog.Infrastructure.Media.MediaProbe Probe =
        Catalog.Infrastructure.Media.MediaProbe.FromSetting(Environment.GetEnvironmentVariable("Catalog__Ffprobe"));

    [Theory]
    [MemberData(nameof(EveryFormat))]
    public async Task columns_left_out_are_read_from_the_bytes_as_import_fs_reads_them(string fixture)
    {
        var path = TestMedia.Fixture(fixture);
        var kind = fixture.StartsWith("still") ? "image" : fixture.StartsWith("clip") ? "video" : "audio";
        var table = kind == "audio" ? "audio" : kind + "s";
        var mimeType = Catalog.Infrastructure.Media.MediaTypes.Detect(File.ReadAllBytes(path).AsSpan(0, 64))!;
        var facts = (await Probe.ProbeAsync(path, mimeType, default)).Facts!;

        var asset = await (await Client.Register(table, File.ReadAllBytes(path), fixture,
            new Dictionary<string, string> { [$"{kind}_type"] = "storyboard" })).Json(HttpStatusCode.Created);

        foreach (var column in kind switch { "image" => ["size"], "video" => ["duration", "resolution", "fps"], _ => new[] { "duration", "sample_rate" } })
            Assert.Equal(facts.Column(column)?.ToString() ?? "", asset.GetProperty(column).ValueKind == System.Text.Json.JsonValueKind.Null
                ? "" : asset.GetProperty(column).ToString());
        Assert.Equal("storyboard", asset.Str($"{kind}_type"));
        if (kind == "image") Assert.Equal(fixture.Split('-', '.')[1], asset.Str("size")); // still-320x240.jpg
        else // every length, as the name says (clip-720p-24fps-3s.mp4): read in process, with ffprobe or without
            Assert.Equal(double.Parse(fixture.Split('-', '.')[^2].TrimEnd('s')), asset.GetProperty("duration").GetDouble(), 0.1);
    }

    [Theory]
    [InlineData("tone-48000-1s-opus.webm", "audio/webm", 48_000)] // a browser's recording, a download's audio track
    [InlineData("tone-44100-1s-vorbis.mka", "audio/x-matroska", 44_100)]
    [InlineData("tone-22050-1s-aac.mp4", "audio/mp4", 22_050)] // AAC in an MP4 of brand isom (a phone's voice memo)
    public async Task sound_only_in_a_movie_container_is_an_audio_track(string fixture, string mimeType, long sampleRate)
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture(fixture));
        var track = await (await Client.Register("audio", bytes, fixture,
            new Dictionary<string, string> { ["audio_type"] = "vocals" })).Json(HttpStatusCode.Created);
        Assert.Equal((mimeType, sampleRate), (track.Str("mime_type"), track.Long("sample_rate")));
        Assert.Equal(1.0, track.GetProperty("duration").GetDouble(), 0.01);

        var served = await Client.GetAsync($"/api/media/audio/{track.Long("id")}");
        Assert.Equal(mimeType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The formats beyond the web's, uploaded as any other: type and columns from the bytes, served back as sent.</summary>
    [Theory]
    [InlineData("videos", "clip-120p-25fps-1s.ts", "video/mp2t", "120p")]
    [InlineData("videos", "clip-120p-25fps-1s.mpg", "video/mpeg", "120p")]
    [InlineData("videos", "clip-120p-25fps-1s.flv", "video/x-flv", "120p")]
    [InlineData("audio", "tone-22050-1s.au", "audio/basic", "22050")]
    [InlineData("audio", "tone-22050-1s.w64", "audio/x-w64", "22050")]
    [InlineData("audio", "tone-44100-1s.ac3", "audio/ac3", "44100")]
    [InlineData("audio", "tone-22050-1s.wma", "audio/x-ms-wma", "22050")]
    [InlineData("images", "still-64x48.psd", "image/vnd.adobe.photoshop", "64x48")]
    [InlineData("images", "still-64x48.jp2", "image/jp2", "64x48")]
    [InlineData("images", "still-64x48.svg", "image/svg+xml", "64x48")]
    public async Task the_formats_beyond_the_webs_are_taken_and_served_as_sent(string table, string fixture, string mimeType, string column)
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture(fixture));
        var kind = table switch { "videos" => "video", "images" => "image", _ => "audio" };
        var asset = await (await Client.Register(table, bytes, fixture,
            new Dictionary<string, string> { [$"{kind}_type"] = "reference" })).Json(HttpStatusCode.Created);
        Assert.Equal(mimeType, asset.Str("mime_type"));
        Assert.Equal(column, asset.GetProperty(kind switch { "video" => "resolution", "image" => "size", _ => "sample_rate" }).ToString());

        var served = await Client.GetAsync($"/api/media/{kind}/{asset.Long("id")}");
        Assert.Equal(mimeType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        // An SVG could carry script: it is served sandboxed, so opening it runs nothing in the catalog's origin.
        Assert.Equal(mimeType == "image/svg+xml", served.Headers.TryGetValues("Content-Security-Policy", out var policy) && policy.Single().Contains("sandbox"));
    }

    [Fact]
    public async Task an_svg_cut_short_is_refused_as_any_damaged_file_is()
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture("still-64x48.svg"));
        var response = await Client.Register("images", bytes[..^10], "cut.svg", new Dictionary<string, string> { ["image_type"] = "reference" });
        Assert.Contains("truncated", (await response.Json(HttpStatusCode.UnprocessableEntity)).Str("detail"));
    }

    [Fact]
    public async Task a_movie_with_a_picture_is_no_audio_track()
    {
        var response = await Client.Register("audio", File.ReadAllBytes(TestMedia.Fixture("clip-480p-25fps-2s.webm")), "clip.webm",
            new Dictionary<string, string> { ["audio_type"] = "vocals" });
        var problem = await response.Json(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("video/webm with a picture track; /api/audio takes audio/*", problem.Str("detail"));
    }

    [Fact]
    public async Task a_png_without_size_gets_it_from_its_bytes_and_a_value_sent_wins()
    {
        var read = await (await Client.Register("images", TestMedia.Png(1024, 576), "wide.png",
            new Dictionary<string, string> { ["image_type"] = "generated" })).Json(HttpStatusCode.Created);
        Assert.Equal("1024x576", read.Str("size"));

        var sent = await (await Client.Register("images", TestMedia.Png(1024, 576, seed: 2), "said.png",
            new Dictionary<string, string> { ["image_type"] = "generated", ["size"] = "512x288" })).Json(HttpStatusCode.Created);
        Assert.Equal("512x288", sent.Str("size"));

        var clip = await (await Client.Register("videos", TestMedia.Mp4(), "partly.mp4",
            new Dictionary<string, string> { ["video_type"] = "clip", ["duration"] = "2.5" })).Json(HttpStatusCode.Created);
        Assert.Equal((2.5, "720p"), (clip.GetProperty("duration").GetDouble(), clip.Str("resolution")));

        var wav = await (await Client.Register("audio", TestMedia.Wav(1.5, 22_050), "tone.wav",
            new Dictionary<string, string> { ["audio_type"] = "sfx" })).Json(HttpStatusCode.Created);
        Assert.Equal((1.5, 22_050L, "sfx"), (wav.GetProperty("duration").GetDouble(), wav.Long("sample_rate"), wav.Str("audio_type")));
    }

    [Fact]
    public async Task the_filename_defaults_to_the_uploaded_name_and_created_at_may_be_given()
    {
        var response = await Client.Register("images", TestMedia.Png(), "from-upload.png", new Dictionary<string, string>
        {
            ["image_type"] = "reference",
            ["created_at"] = "2025-01-02T03:04:05Z",
        });
        var image = await response.Json(HttpStatusCode.Created);
        Assert.Equal("from-upload.png", image.Str("filename"));
        Assert.Equal("2025-01-02T03:04:05Z", image.Str("created_at"));
        Assert.NotEqual(image.Str("created_at"), image.Str("updated_at"));
    }

    [Fact]
    public async Task same_bytes_under_two_names_are_two_assets_and_one_blob()
    {
        var bytes = TestMedia.Png(seed: 9);
        var fields = new Dictionary<string, string> { ["image_type"] = "thumbnail" };
        var a = await (await Client.Register("images", bytes, "a.png", fields)).Json(HttpStatusCode.Created);
        var b = await (await Client.Register("images", bytes, "b.png", fields)).Json(HttpStatusCode.Created);

        Assert.NotEqual(a.Long("id"), b.Long("id"));
        Assert.Equal(a.Str("sha256"), b.Str("sha256"));
        var blobs = Directory.GetFiles(App.BlobDirectory, a.Str("sha256"), SearchOption.AllDirectories);
        Assert.Single(blobs);
    }
}
