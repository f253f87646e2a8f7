using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Catalog.Projections;
using Catalog.Testing;
using JasperFx.Events;
using Marten;

namespace Catalog.Api.Tests.Infrastructure;

/// <summary>Set-up through the API, in a line each: <c>await Client.CreatedProduction(...)</c>.</summary>
public static class Scenarios
{
    public static async Task<JsonElement> CreatedProduction(this HttpClient client, string? id = null, string? title = "Night Drive", string? artist = "Van Williams")
    {
        var response = await client.PostAsJsonAsync("/api/productions", new { id, title, artist });
        return await response.Json(HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> Register(this HttpClient client, string kind, byte[] bytes, string fileName,
        IDictionary<string, string>? fields = null, string? actor = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(value), name);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{kind}") { Content = form };
        if (actor is not null) request.Headers.Add("X-Actor", actor);
        return client.SendAsync(request);
    }

    /// <summary>The client, sending <paramref name="key"/> with every request.</summary>
    public static HttpClient WithKey(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<JsonElement> RegisteredImage(this HttpClient client, string fileName = "frame.png", string? productionId = null,
        int seed = 0, string type = "generated", string prompt = "Van Williams under neon", string? createdAt = null)
    {
        var fields = new Dictionary<string, string> { ["image_type"] = type, ["prompt"] = prompt };
        if (productionId is not null) fields["production_id"] = productionId;
        if (createdAt is not null) fields["created_at"] = createdAt;
        return await (await client.Register("images", TestMedia.Png(seed: seed), fileName, fields)).Json(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> RegisteredVideo(this HttpClient client, string fileName = "clip.mp4", string? productionId = null,
        string type = "clip", string? prompt = null)
    {
        var fields = new Dictionary<string, string> { ["video_type"] = type, ["duration"] = "3", ["fps"] = "24", ["resolution"] = "720p" };
        if (prompt is not null) fields["prompt"] = prompt;
        if (productionId is not null) fields["production_id"] = productionId;
        return await (await client.Register("videos", TestMedia.Mp4(), fileName, fields)).Json(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> RegisteredAudio(this HttpClient client, string fileName = "track.wav", string? productionId = null,
        string type = "original")
    {
        var fields = new Dictionary<string, string> { ["audio_type"] = type, ["sample_rate"] = "48000", ["duration"] = "0.5" };
        if (productionId is not null) fields["production_id"] = productionId;
        return await (await client.Register("audio", TestMedia.Wav(), fileName, fields)).Json(HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> SendJson(this HttpClient client, HttpMethod method, string url, object? body, string? actor = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (actor is not null) request.Headers.Add("X-Actor", actor);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutRaw(this HttpClient client, string url, string body, string contentType = "application/json") =>
        client.PutAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>The JSON body, after checking the status (the body is shown when it differs).</summary>
    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A ProblemDetails answer with the given status; returns its detail.</summary>
    public static async Task<string> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.Json(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString() ?? "";
    }

    /// <summary>Events in catalog streams (Marten's tombstones for failed transactions are not catalog events).</summary>
    public static async Task<long> EventCount(this CatalogApp app)
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.StreamKey != CatalogStore.TombstoneStream).CountAsync();
    }

    public static async Task<IReadOnlyList<IEvent>> Events(this CatalogApp app, string streamKey)
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.FetchStreamAsync(streamKey);
    }

    /// <summary>Polls a background job (an export, an import) until it is neither queued nor running.</summary>
    public static async Task<JsonElement> FinishedJob(this HttpClient client, string location)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var job = await client.GetJson(location);
            if (job.Str("status") is not (Catalog.Api.Jobs.JobStatus.Queued or Catalog.Api.Jobs.JobStatus.Running)) return job;
            await Task.Delay(100, timeout.Token);
        }
    }

    public static async Task<JsonElement> GetJson(this HttpClient client, string url) =>
        await (await client.GetAsync(url)).Json(HttpStatusCode.OK);

    /// <summary>The ids of a page's items, in order.</summary>
    public static List<string> Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").ToString()).ToList();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();
    public static bool IsNull(this JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null;
}
