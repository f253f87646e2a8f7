using System.Net;
using System.Net.Http.Headers;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// HEAD is answered wherever GET is — every GET of the OpenAPI document, found or not — with the GET's status and
/// headers and no body; a path without GET stays a 405.
/// </summary>
public sealed class HeadOnEveryGet(CatalogApp app) : ApiTest(app)
{
    /// <summary>Headers that differ between two answers to the same question (a trace, a clock, how the body travels).</summary>
    private static readonly HashSet<string> Varying = ["Date", "traceparent", "X-Correlation-Id", "Transfer-Encoding", "Content-Length"];

    [Fact]
    public async Task every_get_in_the_openapi_document_answers_head_alike()
    {
        await Client.CreatedProduction("prod_head", "Night Drive", "Van Williams");
        var ids = new Dictionary<string, string>
        {
            ["image"] = (await Client.RegisteredImage("h.png", "prod_head")).Long("id").ToString(),
            ["video"] = (await Client.RegisteredVideo("h.mp4", "prod_head")).Long("id").ToString(),
            ["audio"] = (await Client.RegisteredAudio("h.wav", "prod_head")).Long("id").ToString(),
            ["production"] = "prod_head",
        };
        var document = await (await Client.GetAsync("/swagger/v1/swagger.json")).Json(HttpStatusCode.OK);
        var gets = document.GetProperty("paths").EnumerateObject().Where(p => p.Value.TryGetProperty("get", out _)).Select(p => p.Name).ToList();
        Assert.True(gets.Count >= 20, $"only {gets.Count} GET paths in the document");

        foreach (var template in gets.Append("/swagger/v1/swagger.json").Append("/health/ready"))
        {
            var url = template.Contains("{id}") ? template.Replace("{id}", IdFor(template, ids)) : template;
            if (url.Contains("/search")) url += "?q=night";
            var get = await Client.GetAsync(url);
            var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

            Assert.True(get.StatusCode == head.StatusCode, $"{url}: GET {get.StatusCode}, HEAD {head.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(Headers(get), Headers(head));
        }
    }

    [Fact]
    public async Task head_on_media_says_the_length_etag_and_ranges_without_the_bytes()
    {
        var bytes = TestMedia.Mp4();
        var video = await Client.RegisteredVideo();
        var url = $"/api/media/video/{video.Long("id")}";

        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal($"\"{video.Str("sha256")}\"", head.Headers.ETag?.Tag);
        Assert.Equal("bytes", Assert.Single(head.Headers.AcceptRanges));
        Assert.Equal("video/mp4", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        var conditional = new HttpRequestMessage(HttpMethod.Head, url);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{video.Str("sha256")}\""));
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(conditional)).StatusCode);
        var ranged = new HttpRequestMessage(HttpMethod.Head, url) { Headers = { Range = new RangeHeaderValue(0, 99) } };
        var partial = await Client.SendAsync(ranged);
        Assert.Equal((HttpStatusCode.PartialContent, 100L), (partial.StatusCode, partial.Content.Headers.ContentLength));
    }

    [Fact]
    public async Task head_where_there_is_no_get_is_a_405_and_post_is_still_post()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/admin/rebuild"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_post" })).StatusCode);
    }

    private static string IdFor(string template, Dictionary<string, string> ids) =>
        ids.FirstOrDefault(k => template.Contains($"/{k.Key}/") || template.Contains($"/{k.Key}s/") || template.Contains($"/{k.Key}/{{")).Value
        ?? "00000000000000000000000000000000"; // exports, imports: an unknown id, 404 both ways

    private static List<string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => !Varying.Contains(h.Key))
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order()
            .ToList();
}
