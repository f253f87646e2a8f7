using System.Net;
using System.Net.Http.Headers;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Media;

public sealed class ServingMedia(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task answers_with_length_etag_ranges_and_nosniff()
    {
        var video = await Client.RegisteredVideo();
        var response = await Client.GetAsync($"/api/media/video/{video.Long("id")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestMedia.Mp4().Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{video.Str("sha256")}\"", response.Headers.ETag?.Tag);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task a_byte_range_is_a_206_with_exactly_those_bytes()
    {
        var bytes = TestMedia.Mp4();
        var video = await Client.RegisteredVideo();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/video/{video.Long("id")}");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-199/{bytes.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=-100", -100, 100)]
    [InlineData("bytes=18000-", 18000, -1)]
    public async Task first_bytes_suffix_and_open_ended_ranges(string range, int start, int length)
    {
        var bytes = TestMedia.Mp4();
        var video = await Client.RegisteredVideo();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/video/{video.Long("id")}");
        request.Headers.TryAddWithoutValidation("Range", range);

        var response = await Client.SendAsync(request);

        var from = start < 0 ? bytes.Length + start : start;
        var expected = length < 0 ? bytes[from..] : bytes[from..(from + length)];
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{from + expected.Length - 1}/{bytes.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task a_malformed_range_is_ignored_and_the_whole_file_sent()
    {
        var video = await Client.RegisteredVideo();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/video/{video.Long("id")}");
        request.Headers.TryAddWithoutValidation("Range", "bytes=abc");
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestMedia.Mp4(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task an_unsatisfiable_range_is_a_416()
    {
        var image = await Client.RegisteredImage();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/image/{image.Long("id")}");
        request.Headers.Range = new RangeHeaderValue(10_000_000, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task if_none_match_on_the_sha256_is_a_304()
    {
        var audio = await Client.RegisteredAudio();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/audio/{audio.Long("id")}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{audio.Str("sha256")}\""));
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task unknown_and_malformed_ids_are_404_and_400()
    {
        await (await Client.GetAsync("/api/media/image/999999")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/media/image/12abc")).Problem(HttpStatusCode.BadRequest);
        await (await Client.GetAsync("/api/media/image/-3")).Problem(HttpStatusCode.BadRequest);
    }
}
