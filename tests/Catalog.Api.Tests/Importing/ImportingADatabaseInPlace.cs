using System.Net;
using Catalog.Api.Jobs;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Importer;
using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Api.Tests.Importing;

/// <summary>
/// <c>POST /api/imports/databases</c>: an assets.db of the service's machine imported where it lies, for the operator on
/// that machine only (what <c>catalog import-db</c> hands a running service), answered a JSON line at a time.
/// </summary>
public sealed class ImportingADatabaseInPlace(CatalogApp app) : ApiTest(app)
{
    private string OperatorToken => App.OperatorToken();

    private Task<HttpResponseMessage> Import(string? key, object body, string? actor = null) => App.LocalImport("/api/imports/databases", key, body, actor);

    private static Task<List<ImportLine>> Lines(HttpResponseMessage response) => LocalImportCalls.Lines(response);

    /// <summary>The catalog as it is, exported (portable) into a file of its own.</summary>
    private async Task<string> Exported(TempDirectory into)
    {
        var export = await Client.SendJson(HttpMethod.Post, "/api/exports", new { });
        var job = await Client.FinishedJob(export.Headers.Location!.OriginalString);
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        var path = into["back up ☾/assets ü.db"]; // a path with spaces and more than ASCII, as users' folders have
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, await Client.GetByteArrayAsync(job.Str("file_url")));
        return path;
    }

    [Fact]
    public async Task the_operator_imports_an_assets_db_where_it_lies_with_its_ids_and_bytes_as_the_named_user()
    {
        await Client.CreatedProduction("prod_db");
        var image = await Client.RegisteredImage("frame.png", "prod_db");
        var video = await Client.RegisteredVideo("clip.mp4");
        using var folder = new TempDirectory();
        var path = await Exported(folder);
        var before = await File.ReadAllBytesAsync(path);
        await App.ResetAsync();

        var lines = await Lines(await Import(OperatorToken, new { path, parallel = 2 }, actor: "alice"));

        var summary = lines[^1].Summary;                             // the summary comes last
        Assert.NotNull(summary);
        Assert.True(summary.Ok);
        Assert.Equal((2, 1, 1), (summary.Registered, summary.ProductionsCreated, summary.Linked));
        Assert.Contains(lines, l => l.Progress is { Rows: 2 });
        var back = await Client.GetJson($"/api/gallery/image/{image.Long("id")}");
        Assert.Equal(("frame.png", "prod_db"), (back.Str("filename"), back.Str("production_id")));
        Assert.Equal(TestMedia.Mp4(), await Client.GetByteArrayAsync($"/api/media/video/{video.Long("id")}"));
        var registered = (await Client.GetJson($"/api/history/images/{image.Long("id")}")).GetProperty("items")[0];
        Assert.Equal(("image.registered", "alice", $"import-db {path}"), (registered.Str("type"), registered.Str("by"), registered.Str("reason")));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));   // read where it lies, never changed
        Assert.Equal(0, (await Client.GetJson("/api/imports")).GetArrayLength()); // no upload, no background job

        // Again: everything there is skipped, nothing appended.
        var events = await App.EventCount();
        var again = (await Lines(await Import(OperatorToken, new { path }))).Single(l => l.Summary is not null).Summary!;
        Assert.Equal((0, 2, 1), (again.Registered, again.Skipped, again.ProductionsSkipped));
        Assert.Equal(events, await App.EventCount());
    }

    [Fact]
    public async Task two_imports_of_one_file_at_once_register_each_row_once_with_its_id()
    {
        using var frames = new TempDirectory();
        Directory.CreateDirectory(frames["data/images"]);
        for (var i = 0; i < 40; i++) File.WriteAllBytes(frames[$"data/images/frame-{i:D2}.png"], TestMedia.Png(96, 54, seed: 200 + i));
        await Lines(await App.LocalImport("/api/imports/folders", OperatorToken, new { root = frames.Path }));
        var ids = (await Client.GetJson("/api/gallery/images?limit=100")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.Str("filename"), i => i.Long("id"));
        using var folder = new TempDirectory();
        var path = await Exported(folder);
        await App.ResetAsync();

        var both = await Task.WhenAll(Import(OperatorToken, new { path }), Import(OperatorToken, new { path }));
        var summaries = new List<ImportSummary>();
        foreach (var response in both) summaries.Add((await Lines(response)).Single(l => l.Summary is not null).Summary!);

        // Each row is registered by one of the two; the other skips it or, having lost the race for its name, says so.
        Assert.Equal(40, summaries.Sum(s => s.Registered));
        Assert.All(summaries, s => Assert.Equal(40, s.Registered + s.Skipped + s.Conflicts));
        var listed = (await Client.GetJson("/api/gallery/images?limit=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ids.OrderBy(i => i.Key), listed.ToDictionary(i => i.Str("filename"), i => i.Long("id")).OrderBy(i => i.Key));
    }

    [Fact]
    public async Task only_the_operator_may_ask_and_what_is_refused_before_the_import_appends_nothing()
    {
        await Client.RegisteredImage("frame.png");
        using var folder = new TempDirectory();
        var path = await Exported(folder);
        await App.ResetAsync();
        File.WriteAllText(folder["notes.db"], "not a database at all, only text");
        await using (var other = new SqliteConnection($"Data Source={folder["other.db"]};Pooling=false"))
        {
            await other.OpenAsync();
            await using var create = other.CreateCommand();
            create.CommandText = "create table images (id integer primary key, name text)";
            await create.ExecuteNonQueryAsync();
        }

        Assert.Contains("not the operator's", await (await Import(App.TestKey, new { path })).Problem(HttpStatusCode.Forbidden));
        await (await Import(null, new { path })).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains("absolute path", await (await Import(OperatorToken, new { path = "backup/assets.db" })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("does not exist", await (await Import(OperatorToken, new { path = folder["missing.db"] })).Problem(HttpStatusCode.NotFound));
        Assert.Contains("does not exist", await (await Import(OperatorToken, new { path = folder.Path })).Problem(HttpStatusCode.NotFound)); // a folder
        Assert.Contains("not a SQLite database", await (await Import(OperatorToken, new { path = folder["notes.db"] })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("not in the seed's schema", await (await Import(OperatorToken, new { path = folder["other.db"] })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("not_an_option", await (await Import(OperatorToken, new { path, not_an_option = 1 })).Problem(HttpStatusCode.BadRequest));

        Assert.Equal(0, await App.EventCount());
    }
}
