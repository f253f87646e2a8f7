using Catalog.Api.Jobs;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Catalog.Api.Exporting;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Exporter;
using Catalog.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catalog.Api.Tests.Exporting;

public sealed class ExportingThroughTheApi(CatalogApp app) : ApiTest(app)
{
    private async Task<(string Location, JsonElement Job)> Start(object body)
    {
        var response = await Client.SendJson(HttpMethod.Post, "/api/exports", body, actor: "auditor");
        var job = await response.Json(HttpStatusCode.Accepted);
        return (response.Headers.Location!.OriginalString, job);
    }

    private Task<JsonElement> Finished(string location) => Client.FinishedJob(location);

    [Fact]
    public async Task a_portable_export_runs_in_the_background_and_its_file_downloads_whole_or_in_ranges()
    {
        await Client.CreatedProduction("prod_e");
        await Client.RegisteredImage("i.png", "prod_e");
        await Client.RegisteredVideo("v.mp4", "prod_e");

        var (location, queued) = await Start(new { });
        Assert.Equal(JobStatus.Queued, queued.Str("status"));
        Assert.Equal("auditor", queued.Str("requested_by"));
        Assert.Equal(location, queued.Str("url"));

        var job = await Finished(location);
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        Assert.Equal(100, job.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal(1, job.GetProperty("rows").Long("videos"));

        var file = await Client.GetAsync(job.Str("file_url"));
        var bytes = await file.Content.ReadAsByteArrayAsync();
        Assert.Equal("application/vnd.sqlite3", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(job.Long("size"), bytes.Length);
        Assert.Equal(job.Str("sha256"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal($"\"{job.Str("sha256")}\"", file.Headers.ETag?.Tag);

        var range = new HttpRequestMessage(HttpMethod.Get, job.Str("file_url")) { Headers = { Range = new RangeHeaderValue(16, 31) } };
        var part = await Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[16..32], await part.Content.ReadAsByteArrayAsync());

        using var downloaded = new TempDirectory();
        await File.WriteAllBytesAsync(downloaded["assets.db"], bytes);
        await using var source = await ExportSource.OpenAsync(App.Store, null, null, default);
        var report = await AssetsDbVerifier.VerifyAsync(downloaded["assets.db"], source, default);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task a_hybrid_export_is_one_tar_with_the_database_and_the_files()
    {
        await Client.RegisteredImage("frame.png");
        var job = await Finished((await Start(new { mode = "hybrid" })).Location);
        Assert.Equal(JobStatus.Completed, job.Str("status"));

        var tar = await Client.GetAsync(job.Str("file_url"));
        Assert.Equal("application/x-tar", tar.Content.Headers.ContentType?.MediaType);
        var entries = new Dictionary<string, byte[]>();
        await using var reader = new TarReader(await tar.Content.ReadAsStreamAsync());
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var copy = new MemoryStream();
            await entry.DataStream.CopyToAsync(copy);
            entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
        }
        Assert.Contains("assets.db", entries.Keys);
        Assert.Equal(TestMedia.Png(), entries["data/images/frame.png"]);
    }

    [Fact]
    public async Task several_exports_run_and_one_production_or_a_past_instant_can_be_asked_for()
    {
        await Client.CreatedProduction("prod_x");
        await Client.RegisteredImage("x.png", "prod_x");
        var jobs = await Task.WhenAll(
            Start(new { }), Start(new { production_id = "prod_x" }), Start(new { as_of = App.Clock.GetUtcNow().AddMinutes(-1) }));

        var finished = await Task.WhenAll(jobs.Select(j => Finished(j.Location)));
        Assert.All(finished, job => Assert.Equal(JobStatus.Completed, job.Str("status")));
        Assert.Equal(1, finished[1].GetProperty("rows").Long("productions"));
        Assert.Equal(0, finished[2].GetProperty("rows").Long("images")); // before anything existed
        Assert.Equal(3, (await Client.GetJson("/api/exports")).GetArrayLength());
    }

    [Fact]
    public async Task a_failed_export_says_why_and_has_no_file()
    {
        await Client.CreatedProduction("prod_late");
        var job = await Finished((await Start(new { production_id = "prod_late", as_of = DateTimeOffset.UtcNow.AddDays(-1) })).Location);

        Assert.Equal(JobStatus.Failed, job.Str("status"));
        Assert.Contains("no production 'prod_late' at", job.Str("error"));
        Assert.Contains("failed", await (await Client.GetAsync($"{job.Str("url")}/file")).Problem(HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("""{"mode":"zip"}""", HttpStatusCode.BadRequest, "mode 'zip'")]
    [InlineData("""{"production_id":"prod_none"}""", HttpStatusCode.UnprocessableEntity, "prod_none")]
    [InlineData("""{"as_of":"2999-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "future")]
    public async Task a_bad_request_starts_nothing(string body, HttpStatusCode status, string message)
    {
        var response = await Client.PostAsync("/api/exports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains(message, await response.Problem(status));
        Assert.Equal(0, (await Client.GetJson("/api/exports")).GetArrayLength());
    }

    [Fact]
    public async Task unknown_exports_are_404_and_expired_files_410()
    {
        await (await Client.GetAsync("/api/exports/exp_nope")).Problem(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/exports/exp_nope/file")).Problem(HttpStatusCode.NotFound);

        var job = await Finished((await Start(new { })).Location);
        var housekeeping = App.Services.GetServices<IHostedService>().OfType<ExportHousekeeping>().Single();
        await housekeeping.RemoveExpiredAsync(default); // the test host keeps finished files 0 hours

        Assert.Equal(JobStatus.Expired, (await Client.GetJson(job.Str("url"))).Str("status"));
        await (await Client.GetAsync($"{job.Str("url")}/file")).Problem(HttpStatusCode.Gone);
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "exports", job.Str("id"))));
    }

    [Fact]
    public async Task exports_this_node_was_running_when_it_stopped_are_marked_failed_and_other_nodes_left_alone()
    {
        await using (var session = App.Store.LightweightSession())
        {
            var asked = DateTimeOffset.UtcNow;
            session.Store(new ExportJob("exp_mine", JobStatus.Running, "portable", null, null, "t", asked, Node: BackgroundJobs.ThisNode));
            session.Store(new ExportJob("exp_other", JobStatus.Running, "portable", null, null, "t", asked, Node: "another-node"));
            await session.SaveChangesAsync();
        }
        Directory.CreateDirectory(Path.Combine(App.DataDirectory, "exports", "exp_mine"));

        var housekeeping = App.Services.GetServices<IHostedService>().OfType<ExportHousekeeping>().Single();
        await housekeeping.MarkInterruptedAsync(default);

        var mine = await Client.GetJson("/api/exports/exp_mine");
        Assert.Equal(JobStatus.Failed, mine.Str("status"));
        Assert.Contains("stopped", mine.Str("error"));
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "exports", "exp_mine")));
        Assert.Equal(JobStatus.Running, (await Client.GetJson("/api/exports/exp_other")).Str("status"));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.Store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(ExportJob));
    }
}
