using System.Net;
using System.Security.Cryptography;
using Catalog.Api.Media;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Catalog.Api.Tests.Media;

/// <summary>
/// The media fast lane (<see cref="MediaFastLane"/>): a whole file asked for plainly is answered before routing, with
/// the endpoint's headers; everything else is left to the pipeline, which answers it as before.
/// </summary>
public sealed class ServingBeforeRouting(CatalogApp app) : ApiTest(app)
{
    private const int RestOfThePipeline = 599;

    [Fact]
    public async Task a_plain_request_is_answered_by_the_lane_and_every_other_one_left_to_the_pipeline()
    {
        var image = await Client.RegisteredImage();
        var path = $"/api/media/image/{image.Long("id")}";
        var bytes = TestMedia.Png();

        var anonymous = await LaneAsync("GET", path);
        Assert.Equal(StatusCodes.Status200OK, anonymous.Status);
        Assert.Equal(bytes, anonymous.Body);
        Assert.Equal(bytes.Length, anonymous.Response.ContentLength);
        Assert.Equal($"\"{image.Str("sha256")}\"", anonymous.Response.Headers.ETag.ToString());
        Assert.False(string.IsNullOrEmpty(anonymous.Response.Headers["X-Correlation-Id"].ToString()));

        var withKey = await LaneAsync("GET", path, headers: ("Authorization", $"Bearer {App.TestKey}"));
        Assert.Equal(bytes, withKey.Body);
        var fromElsewhereWithKey = await LaneAsync("GET", path, remote: true, headers: ("X-Api-Key", App.TestKey));
        Assert.Equal(bytes, fromElsewhereWithKey.Body);

        var head = await LaneAsync("HEAD", path);
        Assert.Equal(StatusCodes.Status200OK, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(bytes.Length, head.Response.ContentLength);

        (string Method, string Path, bool Remote, (string, string)[] Headers)[] leftAlone =
        [
            ("GET", path, false, [("Range", "bytes=0-9")]),
            ("GET", path, false, [("If-None-Match", $"\"{image.Str("sha256")}\"")]),
            ("GET", path, false, [("If-Modified-Since", "Sat, 05 Dec 2026 06:00:00 GMT")]),
            ("GET", path, false, [("If-Range", $"\"{image.Str("sha256")}\"")]),
            ("GET", path, false, [("Origin", "https://gallery.example.com")]),
            ("GET", path, false, [("Authorization", "Bearer cat_not-a-key")]),
            ("GET", path, true, []), // no key, from another machine: anonymous reads are this machine's by default
            ("GET", path + "?download=1", false, []),
            ("GET", path + "/thumbnail", false, []),
            ("GET", "/api/media/image/999999", false, []),
            ("GET", "/api/media/image/12abc", false, []),
            ("GET", "/api/media/picture/1", false, []),
            ("DELETE", path, false, []),
            ("GET", path, false, [("X-Big", new string('x', 40_000))]), // the guards' 431
        ];
        foreach (var (method, asked, remote, headers) in leftAlone)
        {
            var answer = await LaneAsync(method, asked, remote, headers);
            Assert.True(answer.Status == RestOfThePipeline, $"{method} {asked} {string.Join(", ", headers.Select(h => h.Item1))}: answered {answer.Status} by the lane");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{image.Long("id")}")).StatusCode);
        Assert.Equal(RestOfThePipeline, (await LaneAsync("GET", path)).Status); // in the trash: the endpoint's 404
    }

    [Fact]
    public async Task the_lane_answers_with_the_headers_the_endpoint_gives()
    {
        foreach (var asset in new[] { await Client.RegisteredImage(fileName: "Neon – still ü.png"), await Client.RegisteredVideo(), await Client.RegisteredAudio() })
        {
            var path = asset.Str("media_url");
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
            {
                var lane = await Client.SendAsync(new HttpRequestMessage(method, path));
                // An If-None-Match that matches nothing takes the request past the lane to the endpoint, which answers 200.
                var endpoint = await Client.SendAsync(new HttpRequestMessage(method, path) { Headers = { { "If-None-Match", "\"something-else\"" } } });
                Assert.Equal(HttpStatusCode.OK, lane.StatusCode);
                Assert.Equal(HttpStatusCode.OK, endpoint.StatusCode);
                Assert.Equal(Headers(endpoint), Headers(lane));
                Assert.Equal(await endpoint.Content.ReadAsByteArrayAsync(), await lane.Content.ReadAsByteArrayAsync());
            }
        }
    }

    [Fact]
    public async Task serving_races_the_purge_and_every_answer_is_the_whole_file_or_a_404()
    {
        var bytes = TestMedia.NoisyPng(400, 300, seed: 7);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        for (var round = 0; round < 4; round++)
        {
            var id = (await (await Client.Register("images", bytes, "raced.png", new Dictionary<string, string> { ["image_type"] = "generated" }))
                .Json(HttpStatusCode.Created)).Long("id");
            using var stop = new CancellationTokenSource();
            var answers = new List<(HttpStatusCode Status, byte[] Body)>();
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                var mine = new List<(HttpStatusCode, byte[])>();
                while (!stop.IsCancellationRequested)
                {
                    var response = await Client.GetAsync($"/api/media/image/{id}");
                    mine.Add((response.StatusCode, await response.Content.ReadAsByteArrayAsync()));
                }
                return mine;
            })).ToList();

            await Task.Delay(50);
            Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{id}")).StatusCode);
            await (await Client.SendJson(HttpMethod.Post, "/api/admin/purge?all=true", null)).Json(HttpStatusCode.OK);
            Assert.False(File.Exists(Path.Combine(App.BlobDirectory, sha256[..2], sha256)));
            await (await Client.GetAsync($"/api/media/image/{id}")).Problem(HttpStatusCode.NotFound);
            stop.Cancel();
            foreach (var reader in readers) answers.AddRange(await reader);

            Assert.Contains(answers, a => a.Status == HttpStatusCode.OK);
            Assert.All(answers, a => Assert.True(
                a.Status == HttpStatusCode.NotFound || (a.Status == HttpStatusCode.OK && a.Body.AsSpan().SequenceEqual(bytes)),
                $"answered {(int)a.Status} with {a.Body.Length} bytes"));
        }
    }

    private static SortedDictionary<string, string> Headers(HttpResponseMessage response) =>
        new(response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "X-Correlation-Id"))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value)), StringComparer.OrdinalIgnoreCase);

    /// <summary>The lane alone, in front of a stand-in for the rest of the pipeline that answers 599.</summary>
    private async Task<(int Status, byte[] Body, HttpResponse Response)> LaneAsync(string method, string path, bool remote = false,
        params (string Name, string Value)[] headers)
    {
        var builder = new ApplicationBuilder(App.Services);
        builder.UseMediaFastLane();
        builder.Run(context =>
        {
            context.Response.StatusCode = RestOfThePipeline;
            return Task.CompletedTask;
        });
        var pipeline = builder.Build();

        var context = new DefaultHttpContext { RequestServices = App.Services };
        context.Connection.RemoteIpAddress = remote ? IPAddress.Parse("203.0.113.7") : IPAddress.Loopback;
        context.Request.Method = method;
        var query = path.IndexOf('?');
        context.Request.Path = query < 0 ? path : path[..query];
        if (query >= 0) context.Request.QueryString = new QueryString(path[query..]);
        foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        var body = new MemoryStream();
        var responseBody = new StreamResponseBodyFeature(body);
        context.Features.Set<IHttpResponseBodyFeature>(responseBody);

        await pipeline(context);
        await responseBody.CompleteAsync();
        return (context.Response.StatusCode, body.ToArray(), context.Response);
    }
}
