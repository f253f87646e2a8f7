using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Catalog.Api.Jobs;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Portable;

/// <summary>
/// One file, two ways: imported into the catalog, and served as it is in portable mode. Every read endpoint gives the
/// same JSON — field for field — but for what a row of a file cannot know (the stream
/// <c>version</c>; <c>updated_at</c> of an asset, which is its registration in the catalog) and portable mode's
/// <c>available</c>; and the same bytes.
/// </summary>
public sealed class SameAnswersAsTheCatalog(CatalogApp app) : ApiTest(app)
{
    private static readonly HashSet<string> Unknowable = ["version", "updated_at", "sha256", "available", "computed_at", "rank"];

    [Fact]
    public async Task every_read_endpoint_answers_alike_in_portable_mode_and_from_the_imported_catalog()
    {
        using var folder = new TempDirectory("catalog-portable-same-");
        var path = await RealWorldAssetsDb.CreateAsync(folder.Path);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var imported = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/imports") { Content = content });
        var job = await Client.FinishedJob(imported.Headers.Location!.OriginalString);
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        Assert.True(job.GetProperty("summary").GetProperty("ok").GetBoolean(), job.ToString());

        await using var portableApp = new PortableApp(path, folder["catalog-data"]);
        using var portable = portableApp.CreateClient();

        string[] urls =
        [
            "/api/gallery/images", "/api/gallery/images?type=storyboard", "/api/gallery/images?production_id=prod_mv1&limit=1&offset=1",
            "/api/gallery/videos", "/api/gallery/videos?type=lyric%20video", "/api/gallery/audio", "/api/gallery/audio?type=sfx",
            "/api/gallery/productions", "/api/gallery/productions?status=in%20review",
            "/api/gallery/image/3", "/api/gallery/image/12", "/api/gallery/video/2", "/api/gallery/audio/11",
            "/api/gallery/production/prod_mv1", "/api/gallery/production/prod_mv2?limit=1", "/api/gallery/production/prod_mv3",
        ];
        foreach (var url in urls) Alike(url, await Client.GetJson(url), await portable.GetJson(url));

        // Search finds the same things; each ranks its hits its own way (PostgreSQL's ts_rank, the share of matching words).
        foreach (var url in new[] { "/api/gallery/search?q=Ortega", "/api/gallery/search?q=van+will", "/api/gallery/search?q=neon&type=images" })
        {
            var (catalogHits, fileHits) = (await Client.GetJson(url), await portable.GetJson(url));
            Assert.Equal(catalogHits.Long("total"), fileHits.Long("total"));
            Alike(url, ByKindAndId(catalogHits), ByKindAndId(fileHits));
        }

        var catalogStats = await Client.GetJson("/api/gallery/stats");
        var portableStats = await portable.GetJson("/api/gallery/stats");
        foreach (var part in new[] { "images", "videos", "audio", "productions", "storage_bytes" })
            Alike($"stats {part}", catalogStats.GetProperty(part), portableStats.GetProperty(part));

        foreach (var (kind, table) in new[] { ("image", "images"), ("video", "videos"), ("audio", "audio") })
        foreach (var item in (await Client.GetJson($"/api/gallery/{table}")).GetProperty("items").EnumerateArray())
        {
            var url = $"/api/media/{kind}/{item.GetProperty("id")}";
            using var fromCatalog = await Client.GetAsync(url);
            using var fromFile = await portable.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, fromFile.StatusCode);
            Assert.Equal(await fromCatalog.Content.ReadAsByteArrayAsync(), await fromFile.Content.ReadAsByteArrayAsync());
            Assert.Equal(fromCatalog.Headers.ETag, fromFile.Headers.ETag);
            Assert.Equal(fromCatalog.Content.Headers.ContentType, fromFile.Content.Headers.ContentType);
            Assert.Equal(fromCatalog.Content.Headers.LastModified, fromFile.Content.Headers.LastModified);
            Assert.Equal(item.Str("sha256"), (await portable.GetJson($"/api/gallery/{kind}/{item.GetProperty("id")}")).Str("sha256"));
        }
    }

    private static JsonElement ByKindAndId(JsonElement hits) => JsonSerializer.SerializeToElement(
        hits.GetProperty("items").EnumerateArray().OrderBy(i => i.Str("kind")).ThenBy(i => i.GetProperty("id").ToString()).ToList());

    /// <summary>The same fields with the same values, but for <see cref="Unknowable"/>.</summary>
    private static void Alike(string where, JsonElement catalog, JsonElement portable)
    {
        Assert.True(catalog.ValueKind == portable.ValueKind, $"{where}: {catalog.ValueKind} in the catalog, {portable.ValueKind} from the file");
        switch (catalog.ValueKind)
        {
            case JsonValueKind.Object:
                // As sets: the catalog's lists come out of PostgreSQL's jsonb, which orders an object's keys its own way.
                var names = catalog.EnumerateObject().Select(p => p.Name).Order().ToList();
                var theirs = portable.EnumerateObject().Select(p => p.Name).Where(n => n != "available").Order().ToList();
                Assert.True(names.SequenceEqual(theirs), $"{where}: fields {string.Join(",", names)} in the catalog, {string.Join(",", theirs)} from the file");
                foreach (var name in names.Where(n => !Unknowable.Contains(n)))
                    Alike($"{where}.{name}", catalog.GetProperty(name), portable.GetProperty(name));
                break;
            case JsonValueKind.Array:
                Assert.True(catalog.GetArrayLength() == portable.GetArrayLength(), $"{where}: {catalog.GetArrayLength()} items in the catalog, {portable.GetArrayLength()} from the file");
                for (var i = 0; i < catalog.GetArrayLength(); i++) Alike($"{where}[{i}]", catalog[i], portable[i]);
                break;
            default:
                Assert.True(catalog.GetRawText() == portable.GetRawText() || (catalog.ValueKind == JsonValueKind.String && catalog.GetString() == portable.GetString()),
                    $"{where}: {catalog.GetRawText()} in the catalog, {portable.GetRawText()} from the file");
                break;
        }
    }
}
