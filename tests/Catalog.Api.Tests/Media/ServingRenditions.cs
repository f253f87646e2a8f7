using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Catalog.Api.Media;
using Catalog.Api.Tests.Importing;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Renditions;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections;
using Catalog.Projections.Queries;
using Microsoft.Extensions.Logging;
using Catalog.Projections.Views;
using Catalog.Domain.Assets;
using Catalog.Testing;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace Catalog.Api.Tests.Media;

/// <summary>Thumbnails and previews: made from real images (PNG, JPEG, WebP at 1024×576 and 1920×1080), video frames and waveforms.</summary>
public sealed class ServingRenditions(CatalogApp app) : ApiTest(app)
{
    private Renditions Renditions => App.Services.GetRequiredService<Renditions>();

    public static TheoryData<string, int, int> Images => new()
    {
        { "png", 1920, 1080 }, { "jpeg", 1920, 1080 }, { "webp", 1920, 1080 },
        { "png", 1024, 576 }, { "jpeg", 1024, 576 }, { "webp", 1024, 576 }, { "avif", 1024, 576 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public async Task an_image_has_a_256px_webp_thumbnail_and_a_1440px_preview_of_the_same_shape(string format, int width, int height)
    {
        var image = await Register(TestMedia.Photo(format, width, height), $"frame.{format}");

        var thumbnail = await Picture(image.Str("thumbnail_url"));
        var preview = await Picture(image.Str("preview_url"));

        Assert.Equal((256, 256 * height / width), (thumbnail.Width, thumbnail.Height));
        Assert.Equal(width > 1440 ? (1440, 1440 * height / width) : (width, height), (preview.Width, preview.Height));
        thumbnail.Dispose();
        preview.Dispose();
    }

    /// <summary>The image formats beyond the web's: SVG drawn by libvips, the ones it has no loader for by ffmpeg's decoders.</summary>
    [Theory]
    [InlineData("still-64x48.svg")]
    [InlineData("still-64x48.psd")]
    [InlineData("still-64x48.tga")]
    [InlineData("still-64x48.jp2")]
    [InlineData("still-64x48.ico")]
    [InlineData("still-64x48.ppm")]
    [InlineData("still-64x48.exr")]
    [InlineData("still-64x48.dds")]
    public async Task an_image_format_beyond_the_webs_is_pictured_too(string fixture)
    {
        var image = await Register(File.ReadAllBytes(TestMedia.Fixture(fixture)), fixture);

        var response = await Client.GetAsync(image.Str("thumbnail_url"));
        Assert.Equal("thumbnail", response.Headers.GetValues(ServeRenditionEndpoint.RenditionHeader).Single()); // not the placeholder
        using var thumbnail = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((64, 48), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public async Task an_image_smaller_than_a_thumbnail_is_never_enlarged()
    {
        var image = await Client.RegisteredImage(); // 64×36

        using var thumbnail = await Picture(image.Str("thumbnail_url"));

        Assert.Equal((64, 36), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public async Task a_rendition_is_served_like_the_originals_and_cached_for_good()
    {
        var image = await Register(TestMedia.Photo("jpeg", 1024, 576), "still.jpg");
        var url = image.Str("thumbnail_url");

        var response = await Client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{image.Str("sha256")}-thumbnail\"", response.Headers.ETag?.Tag);
        Assert.True(response.Headers.CacheControl?.Extensions.Any(e => e.Name == "immutable"));
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("thumbnail", response.Headers.GetValues(ServeRenditionEndpoint.RenditionHeader).Single());

        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(conditional)).StatusCode);

        var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(10, 19);
        var part = await Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[10..20], await part.Content.ReadAsByteArrayAsync());

        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task an_upload_has_its_thumbnail_and_preview_made_in_the_background()
    {
        var image = await Register(TestMedia.Photo("png", 1024, 576), "background.png");
        var sha256 = image.Str("sha256");

        // Nobody asks for them: the message published after the upload makes both.
        await Eventually(() => File.Exists(Renditions.PathOf(sha256, RenditionSize.Thumbnail)) && File.Exists(Renditions.PathOf(sha256, RenditionSize.Preview)));
        using var made = Image.NewFromFile(Renditions.PathOf(sha256, RenditionSize.Preview));
        Assert.Equal((1024, 576), (made.Width, made.Height));
    }

    [Fact]
    public async Task the_renditions_wait_while_a_write_runs_and_are_made_once_it_ends()
    {
        var release = new TaskCompletionSource();
        await WithLongestWait(TimeSpan.FromMinutes(1), async writes =>
        {
            // An upload whose body stops half way until released: a write running, as a large upload or a batch is.
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(TestMedia.Photo("png", 642, 362)), "file", "held.png" },
                { new StringContent("generated"), "image_type" },
            };
            var body = await form.ReadAsByteArrayAsync();
            var held = new HeldContent(body, body.Length / 2, release.Task);
            held.Headers.ContentType = form.Headers.ContentType;
            var streaming = App.Server.CreateClient(); // the factory's own client reads a body whole before sending it (its redirects)
            streaming.WithKey(App.TestKey);
            var holding = streaming.PostAsync("/api/images", held);
            await Eventually(() => writes.Running == 1);

            var thumbnail = await HeldBack(TestMedia.Photo("png", 802, 452), "waiting.png", "an upload");
            Assert.Equal(1, writes.Running);

            release.SetResult();
            var upload = await (await holding).Json(HttpStatusCode.Created);
            await Eventually(() => File.Exists(thumbnail) && File.Exists(Renditions.PathOf(upload.Str("sha256"), RenditionSize.Thumbnail)));
            Assert.Equal(0, writes.Running);
        }, () => release.TrySetResult());
    }

    /// <summary>Registers an image and sees its thumbnail not made for four quiet spells while <paramref name="running"/> runs; returns
    /// where the thumbnail will be.</summary>
    private async Task<string> HeldBack(byte[] photo, string filename, string running)
    {
        var image = await Register(photo, filename);
        var thumbnail = Renditions.PathOf(image.Str("sha256"), RenditionSize.Thumbnail);
        await Task.Delay(WritesInFlight.Quiet * 4);
        Assert.False(File.Exists(thumbnail), $"The thumbnail was made while {running} was running.");
        return thumbnail;
    }

    /// <summary>Runs <paramref name="test"/> with the renditions' longest wait set to <paramref name="longest"/>; then <paramref name="after"/>
    /// and the wait put back, whatever the test's end.</summary>
    private async Task WithLongestWait(TimeSpan longest, Func<WritesInFlight, Task> test, Action after)
    {
        var writes = App.Services.GetRequiredService<WritesInFlight>();
        var maxWait = writes.MaxWait;
        writes.MaxWait = longest;
        try
        {
            await test(writes);
        }
        finally
        {
            after();
            writes.MaxWait = maxWait;
        }
    }

    [Fact]
    public async Task the_renditions_wait_past_their_longest_wait_while_an_import_runs()
    {
        var importing = App.Services.GetRequiredService<WritesInFlight>().Import();
        // No longest wait: without the import, nothing would hold the thumbnail back.
        await WithLongestWait(TimeSpan.Zero, async writes =>
        {
            var thumbnail = await HeldBack(TestMedia.Photo("png", 722, 402), "during-an-import.png", "an import");
            Assert.Equal(1, writes.Imports);

            importing.Dispose();
            importing.Dispose(); // ends it once
            Assert.Equal(0, writes.Imports);
            await Eventually(() => File.Exists(thumbnail));
        }, importing.Dispose);
    }

    [Fact]
    public async Task a_folder_imported_by_the_service_holds_the_renditions_until_it_ends()
    {
        var writes = App.Services.GetRequiredService<WritesInFlight>();
        using var folder = new TempDirectory();
        Directory.CreateDirectory(folder["data/images"]);
        File.WriteAllBytes(folder[$"data/images/held-{Guid.NewGuid():N}.png"], TestMedia.Photo("png", 402, 226));
        var (lines, seen) = await ImportsSeen.During(writes, async () =>
            await LocalImportCalls.Lines(await App.LocalImport("/api/imports/folders", App.OperatorToken(), new { root = folder.Path })));
        Assert.Equal(1, lines.Single(l => l.Summary is not null).Summary!.Registered);
        Assert.Equal(1, seen);
        Assert.Equal(0, writes.Imports);
    }

    /// <summary>A body sent in two halves, the second once <paramref name="release"/> completes.</summary>
    private sealed class HeldContent(byte[] body, int first, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, first));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(body.AsMemory(first));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task the_thumbnails_nobody_made_are_made_when_asked_for_at_start_or_after_an_import()
    {
        // Bytes no other test uploads: a rendition of another test's upload of the same bytes, still queued, would make this
        // one's preview again after it is deleted below. The shared clip gets a 'free' box of its own at the end (MP4 readers
        // skip it).
        var image = await Register(TestMedia.Photo("jpeg", 1000, 560), "imported.jpg");
        var free = "\0\0\0\u0018free"u8.ToArray().Concat(Guid.NewGuid().ToByteArray()).ToArray();
        var video = await (await Client.Register("videos", [.. TestMedia.Mp4(), .. free], "imported.mp4",
            new Dictionary<string, string> { ["video_type"] = "clip" })).Json(HttpStatusCode.Created);
        var shas = new[] { image.Str("sha256"), video.Str("sha256") };
        await Eventually(() => shas.All(sha => File.Exists(Renditions.PathOf(sha, RenditionSize.Preview))));
        foreach (var sha in shas)
        foreach (var size in Enum.GetValues<RenditionSize>())
            File.Delete(Renditions.PathOf(sha, size)); // as after an import-fs with the service stopped

        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().PublishAsync(new MakeMissingThumbnails());

        await Eventually(() => shas.All(sha => File.Exists(Renditions.PathOf(sha, RenditionSize.Thumbnail))));
        Assert.All(shas, sha => Assert.False(File.Exists(Renditions.PathOf(sha, RenditionSize.Preview)))); // previews: on request
    }

    [Fact]
    public async Task a_stopping_service_ends_the_background_renditions_quietly_not_as_failed_messages()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync(); // what the host's stop does to a handler's token
        var services = App.Services;
        var (blobs, writes) = (services.GetRequiredService<IBlobStore>(), services.GetRequiredService<WritesInFlight>());

        await MakeRenditionsHandler.Handle(new MakeMissingThumbnails(), Renditions, blobs, services.GetRequiredService<CatalogReads>(), writes,
            services.GetRequiredService<ILogger<MakeMissingThumbnails>>(), stopping.Token);
        await MakeRenditionsHandler.Handle(new MakeRenditions(new string('a', 64), "image/png"), new Wolverine.Envelope { SentAt = DateTimeOffset.UtcNow },
            Renditions, blobs, writes, stopping.Token);
        // Both returned: neither threw the cancellation to Wolverine, which logs a thrown one as a failed message.
    }

    [Fact]
    public async Task a_missing_rendition_is_made_again_on_request_and_concurrent_requests_get_the_same_bytes()
    {
        var image = await Register(TestMedia.Photo("webp", 1920, 1080), "again.webp");
        var sha256 = image.Str("sha256");
        await Eventually(() => File.Exists(Renditions.PathOf(sha256, RenditionSize.Preview)));
        File.Delete(Renditions.PathOf(sha256, RenditionSize.Preview));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.GetAsync(image.Str("preview_url"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsByteArrayAsync()));
        Assert.Single(bodies.Select(Convert.ToHexString).Distinct());
        Assert.Equal(bodies[0], await File.ReadAllBytesAsync(Renditions.PathOf(sha256, RenditionSize.Preview)));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Renditions.PathOf(sha256, RenditionSize.Preview))!, "*.tmp"));
    }

    [Theory]
    [InlineData("clip-720p-24fps-3s.mp4", 1280, 720)]
    [InlineData("clip-480p-25fps-2s.webm", 854, 480)]
    [InlineData("clip-180p-25fps-1s-live.webm", 320, 180)]
    public async Task a_video_is_pictured_by_a_frame_at_one_second(string fixture, int width, int height)
    {
        var response = await Client.Register("videos", await File.ReadAllBytesAsync(TestMedia.Fixture(fixture)), fixture,
            new Dictionary<string, string> { ["video_type"] = "clip" });
        var video = await response.Json(HttpStatusCode.Created);

        using var thumbnail = await Picture(video.Str("thumbnail_url"));
        using var preview = await Picture(video.Str("preview_url"));

        Assert.Equal((256, (int)Math.Round(256.0 * height / width)), (thumbnail.Width, thumbnail.Height));
        Assert.Equal((width, height), (preview.Width, preview.Height));
        Assert.True(preview.Deviate() > 1, "the frame has a picture, not one flat colour");
    }

    [Fact]
    public async Task a_heic_nothing_here_decodes_is_served_whole_and_pictured_by_the_placeholder()
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture("still-200x150.heic"));
        var image = await Register(bytes, "phone.heic");
        Assert.Equal(("image/heic", "200x150"), (image.Str("mime_type"), image.Str("size")));

        var original = await Client.GetAsync($"/api/media/image/{image.Long("id")}");
        Assert.Equal("image/heic", original.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await original.Content.ReadAsByteArrayAsync());

        var thumbnail = await Client.GetAsync(image.Str("thumbnail_url"));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("placeholder", thumbnail.Headers.GetValues("X-Rendition").Single());
        Assert.Equal("image/svg+xml", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_audio_track_is_pictured_by_its_waveform()
    {
        var audio = await Client.RegisteredAudio();

        using var thumbnail = await Picture(audio.Str("thumbnail_url"));
        using var preview = await Picture(audio.Str("preview_url"));

        Assert.Equal((256, 64), (thumbnail.Width, thumbnail.Height));
        Assert.Equal((1440, 360), (preview.Width, preview.Height));
    }

    [Fact]
    public async Task every_list_item_search_hit_and_detail_says_where_its_pictures_are()
    {
        var production = await Client.CreatedProduction();
        var image = await Client.RegisteredImage(productionId: production.Str("id"));
        var video = await Client.RegisteredVideo(productionId: production.Str("id"));
        var audio = await Client.RegisteredAudio(productionId: production.Str("id"));

        foreach (var (asset, kind) in new[] { (image, "image"), (video, "video"), (audio, "audio") })
        {
            var id = asset.Long("id");
            var expected = ($"/api/media/{kind}/{id}/thumbnail", $"/api/media/{kind}/{id}/preview");
            Assert.Equal(expected, Urls(asset));
            Assert.Equal(expected, Urls(await Client.GetJson($"/api/gallery/{kind}/{id}")));
            var list = await Client.GetJson($"/api/gallery/{AssetKinds.Of(Enum.Parse<AssetKind>(kind, ignoreCase: true)).Table}");
            Assert.Equal(expected, Urls(list.GetProperty("items")[0]));
        }
        var detail = await Client.GetJson($"/api/gallery/production/{production.Str("id")}");
        Assert.Equal($"/api/media/video/{video.Long("id")}/thumbnail", detail.GetProperty("videos")[0].Str("thumbnail_url"));
        var hits = await Client.GetJson("/api/gallery/search?q=Van+Williams&type=images");
        Assert.Equal($"/api/media/image/{image.Long("id")}/thumbnail", hits.GetProperty("items")[0].Str("thumbnail_url"));
    }

    [Fact]
    public async Task views_stored_before_the_urls_existed_get_them_when_the_schema_is_applied()
    {
        var image = await Client.RegisteredImage();
        await ElsewhereAsync($"update {QuerySchema.Tables.Assets(AssetKind.Image)} set data = data - 'thumbnail_url' - 'preview_url'");
        var before = (await Client.GetJson("/api/gallery/images")).GetProperty("items")[0];
        Assert.False(before.TryGetProperty("thumbnail_url", out _));

        await App.Store.ApplySchemaAsync();

        var after = (await Client.GetJson("/api/gallery/images")).GetProperty("items")[0];
        Assert.Equal(($"/api/media/image/{image.Long("id")}/thumbnail", $"/api/media/image/{image.Long("id")}/preview"), Urls(after));
    }

    [Fact]
    public async Task purging_an_assets_bytes_removes_its_renditions()
    {
        var image = await Register(TestMedia.Photo("png", 1024, 576), "purged.png");
        var sha256 = image.Str("sha256");
        await Eventually(() => File.Exists(Renditions.PathOf(sha256, RenditionSize.Thumbnail)) && File.Exists(Renditions.PathOf(sha256, RenditionSize.Preview)));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{image.Long("id")}")).StatusCode);
        (await Client.PostAsync("/api/admin/purge?all=true", null)).EnsureSuccessStatusCode();

        Assert.False(File.Exists(Renditions.PathOf(sha256, RenditionSize.Thumbnail)));
        Assert.False(File.Exists(Renditions.PathOf(sha256, RenditionSize.Preview)));
    }

    [Fact]
    public async Task an_unknown_asset_has_no_thumbnail()
    {
        Assert.Contains("no image 999999", await (await Client.GetAsync("/api/media/image/999999/thumbnail")).Problem(HttpStatusCode.NotFound));
        await (await Client.GetAsync("/api/media/video/abc/preview")).Problem(HttpStatusCode.BadRequest);
    }

    private async Task<System.Text.Json.JsonElement> Register(byte[] bytes, string fileName) =>
        await (await Client.Register("images", bytes, fileName, new Dictionary<string, string> { ["image_type"] = "generated", ["prompt"] = "a test card" }))
            .Json(HttpStatusCode.Created);

    private async Task<Image> Picture(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        return Image.NewFromBuffer(bytes);
    }

    private static (string, string) Urls(System.Text.Json.JsonElement asset) => (asset.Str("thumbnail_url"), asset.Str("preview_url"));

    private static async Task Eventually(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(20); waited += TimeSpan.FromMilliseconds(50))
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("The condition did not hold within 20 s.");
    }
}
