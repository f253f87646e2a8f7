using System.Formats.Tar;
using System.Net;
using System.Text;
using Catalog.Api.Exporting;
using Catalog.Api.Http;
using Catalog.Api.Importing;
using Catalog.Api.Jobs;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Microsoft.AspNetCore.Http;

namespace Catalog.Api.Tests.Exporting;

/// <summary>Work a client can ask for, each with a bound: an export's memory, how many jobs wait, how much of a production one answer holds, how much a small body costs.</summary>
public sealed class BoundedWork(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task an_api_export_writes_binaries_over_its_inline_limit_beside_the_database_in_one_tar()
    {
        var large = TestMedia.NoisyPng(700, 700, seed: 3); // ~1.5 MB, over the test host's 1 MiB inline limit
        var image = await (await Client.Register("images", large, "large.png", new Dictionary<string, string> { ["image_type"] = "generated" })).Json(HttpStatusCode.Created);
        await Client.RegisteredImage("small.png", seed: 4);

        var started = await Client.SendJson(HttpMethod.Post, "/api/exports", new { });
        var job = await Client.FinishedJob(started.Headers.Location!.OriginalString);
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        Assert.Equal("assets.tar", job.Str("file_name"));

        var tar = await Client.GetAsync(job.Str("file_url"));
        Assert.Equal("application/x-tar", tar.Content.Headers.ContentType?.MediaType);
        var entries = new Dictionary<string, byte[]>();
        await using var reader = new TarReader(await tar.Content.ReadAsStreamAsync());
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.DataStream is not { } data) continue;
            using var copy = new MemoryStream();
            await data.CopyToAsync(copy);
            entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
        }
        Assert.True(entries.ContainsKey("data/images/large.png"), string.Join(", ", entries.Keys));
        Assert.Equal(large, entries["data/images/large.png"]);
        Assert.True(entries.ContainsKey("assets.db"));
        Assert.Equal(TestMedia.Sha256(large), image.Str("sha256"));
    }

    [Fact]
    public async Task exports_beyond_the_active_limit_are_a_429_with_retry_after()
    {
        await using (var session = App.Store.LightweightSession())
        {
            for (var i = 0; i < 4; i++)
                session.Store(new ExportJob($"exp_waiting{i}", JobStatus.Queued, "portable", null, null, "t", DateTimeOffset.UtcNow, Node: "elsewhere"));
            await session.SaveChangesAsync();
        }
        var refused = await Client.SendJson(HttpMethod.Post, "/api/exports", new { });
        Assert.Contains("Catalog:MaxActiveExports", await refused.Problem(HttpStatusCode.TooManyRequests));
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task imports_beyond_the_active_limit_are_a_429()
    {
        await using (var session = App.Store.LightweightSession())
        {
            for (var i = 0; i < 2; i++) session.Store(new ImportJob($"imp_waiting{i}", JobStatus.Running, 10, "ab", "t", DateTimeOffset.UtcNow, Node: "elsewhere"));
            await session.SaveChangesAsync();
        }
        var body = new ByteArrayContent(Encoding.ASCII.GetBytes("SQLite format 3\0")) { Headers = { ContentType = new("application/octet-stream") } };
        Assert.Contains("Catalog:MaxActiveImports", await (await Client.PostAsync("/api/imports", body)).Problem(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task a_production_answers_a_page_of_each_kind_with_the_totals()
    {
        await Client.CreatedProduction("prod_many");
        for (var i = 0; i < 5; i++) await Client.RegisteredImage($"i{i}.png", "prod_many", seed: 10 + i);
        await Client.RegisteredVideo("v.mp4", "prod_many");

        var page = await Client.GetJson("/api/gallery/production/prod_many?limit=2&offset=1");
        Assert.Equal(5, page.GetProperty("totals").Long("images"));
        Assert.Equal(1, page.GetProperty("totals").Long("videos"));
        Assert.Equal(["i3.png", "i2.png"], page.GetProperty("images").EnumerateArray().Select(i => i.Str("filename")));
        Assert.Empty(page.GetProperty("videos").EnumerateArray());
        Assert.Equal((2, 1), (page.GetProperty("limit").GetInt32(), page.GetProperty("offset").GetInt32()));
        Assert.Contains("limit must be from 1 to 1000", await (await Client.GetAsync("/api/gallery/production/prod_many?limit=1001")).Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task the_trash_is_paged_in_the_database_with_its_total()
    {
        for (var i = 0; i < 3; i++)
        {
            var image = await Client.RegisteredImage($"t{i}.png", seed: 20 + i);
            Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{image.Long("id")}")).StatusCode);
        }
        var page = await Client.GetJson("/api/gallery/trash?limit=2&offset=2");
        Assert.Equal(3, page.Long("total"));
        Assert.Equal("t0.png", Assert.Single(page.GetProperty("items").EnumerateArray()).Str("name"));
        Assert.Equal(3, (await Client.GetJson("/api/gallery/trash?offset=10")).Long("total"));
    }

    [Fact]
    public async Task a_small_json_document_is_read_with_a_small_buffer_whatever_the_limit()
    {
        var allocated = await Allocations.OfAsync(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                var context = new DefaultHttpContext();
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream("""{"a":1}"""u8.ToArray());
                Assert.Equal("""{"a":1}""", await JsonBodies.ReadDocumentAsync(context.Request, 16 * 1024 * 1024, default));
            }
        });
        Assert.True(allocated < 256 * 1024, $"five 7-byte documents allocated {allocated:N0} bytes");
    }
}
