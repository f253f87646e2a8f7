using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using NetVips;

namespace Catalog.Api.Tests.Portable;

/// <summary>
/// Thumbnails and previews in portable mode, from the file's BLOBs and from the files beside it, made into a folder of
/// their own (never beside the file); and the placeholder where ffmpeg is off.
/// </summary>
public sealed class PicturingAPortableFile : IClassFixture<PortableFile>, IDisposable
{
    private readonly PortableFile _file;
    private readonly TempDirectory _data = new("catalog-portable-data-");
    private readonly TempDirectory _renditions = new("catalog-portable-renditions-");

    public PicturingAPortableFile(PortableFile file) => _file = file;

    private HttpClient Client(bool ffmpeg) => new PortableApp(_file.Path, _data.Path, new Dictionary<string, string>
    {
        ["Catalog:RenditionDirectory"] = _renditions.Path,
        ["Catalog:Ffmpeg"] = ffmpeg ? "" : "off",
    }).CreateClient();

    [Fact]
    public async Task images_and_videos_inline_or_beside_the_file_have_thumbnails_and_the_file_stays_untouched()
    {
        var before = Directory.GetFiles(_file.Folder, "*", SearchOption.AllDirectories).Order().ToArray();
        var client = Client(ffmpeg: true);

        Assert.Equal((256, 192), await Size(client, "/api/media/image/3/thumbnail"));   // 320×240 JPEG in a BLOB
        Assert.Equal((200, 100), await Size(client, "/api/media/image/8/preview"));     // a GIF smaller than a preview: as it is
        Assert.Equal((256, 144), await Size(client, "/api/media/video/2/thumbnail"));   // H.264 in a BLOB: copied out for ffmpeg
        Assert.Equal((640, 360), await Size(client, "/api/media/video/5/preview"));     // the .mov beside the file
        Assert.Equal((256, 64), await Size(client, "/api/media/audio/4/thumbnail"));    // Ogg beside the file: its waveform
        await (await client.GetAsync("/api/media/image/13/thumbnail")).Problem(HttpStatusCode.NotFound); // no bytes anywhere

        Assert.Equal(before, Directory.GetFiles(_file.Folder, "*", SearchOption.AllDirectories).Order().ToArray());
        Assert.Equal(5, Directory.GetFiles(_renditions.Path, "*.webp", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(_renditions.Path, "tmp")));
    }

    [Fact]
    public async Task without_ffmpeg_a_video_or_track_gets_a_placeholder_that_is_not_cached()
    {
        var client = Client(ffmpeg: false);

        foreach (var url in new[] { "/api/media/video/9/thumbnail", "/api/media/audio/6/preview" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("placeholder", response.Headers.GetValues("X-Rendition").Single());
            Assert.True(response.Headers.CacheControl?.NoCache);
            Assert.Contains("ffmpeg not installed", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal((256, 128), await Size(client, "/api/media/image/7/thumbnail")); // images need no ffmpeg
    }

    private static async Task<(int, int)> Size(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        return (image.Width, image.Height);
    }

    public void Dispose()
    {
        _data.Dispose();
        _renditions.Dispose();
    }
}
