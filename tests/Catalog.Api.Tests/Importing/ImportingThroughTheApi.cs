using Catalog.Api.Jobs;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Catalog.Api.Exporting;
using Catalog.Api.Importing;
using Catalog.Api.Media;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catalog.Api.Tests.Importing;

public sealed class ImportingThroughTheApi(CatalogApp app) : ApiTest(app)
{
    private async Task<HttpResponseMessage> Upload(byte[] body, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/imports") { Content = content };
        request.Headers.Add("X-Actor", "restorer");
        return await Client.SendAsync(request);
    }

    private Task<JsonElement> Finished(string location) => Client.FinishedJob(location);

    private async Task<byte[]> ExportedCatalog()
    {
        var export = await Client.SendJson(HttpMethod.Post, "/api/exports", new { });
        var location = export.Headers.Location!.OriginalString;
        var job = await Finished(location);
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        return await Client.GetByteArrayAsync(job.Str("file_url"));
    }

    [Fact]
    public async Task an_uploaded_assets_db_is_imported_in_the_background_with_its_ids_and_bytes_as_the_uploader()
    {
        await Client.CreatedProduction("prod_back");
        var image = await Client.RegisteredImage("frame.png", "prod_back");
        var video = await Client.RegisteredVideo("clip.mp4");
        var file = await ExportedCatalog();
        await App.ResetAsync();

        var writes = App.Services.GetRequiredService<WritesInFlight>();
        var ((response, job), seen) = await ImportsSeen.During(writes, async () =>
        {
            var response = await Upload(file);
            return (response, await Finished(response.Headers.Location!.OriginalString));
        });
        var queued = await response.Json(HttpStatusCode.Accepted);
        Assert.Equal((file.Length, Convert.ToHexStringLower(SHA256.HashData(file)), "restorer"),
            (queued.Long("file_size"), queued.Str("sha256"), queued.Str("requested_by")));
        Assert.Equal(JobStatus.Completed, job.Str("status"));
        Assert.Equal(1, seen); // the thumbnails' queue held while it ran
        for (var i = 0; i < 200 && writes.Imports > 0; i++) await Task.Delay(10);
        Assert.Equal(0, writes.Imports);
        var summary = job.GetProperty("summary");
        Assert.True(summary.GetProperty("ok").GetBoolean(), summary.ToString());
        Assert.Equal((2, 1, 1), (summary.GetProperty("registered").GetInt32(), summary.GetProperty("productions_created").GetInt32(),
            summary.GetProperty("linked").GetInt32()));

        var back = await Client.GetJson($"/api/gallery/image/{image.Long("id")}");
        Assert.Equal(("frame.png", "prod_back"), (back.Str("filename"), back.Str("production_id")));
        Assert.Equal(TestMedia.Mp4(), await Client.GetByteArrayAsync($"/api/media/video/{video.Long("id")}"));
        var history = await Client.GetJson($"/api/history/images/{image.Long("id")}");
        var registered = history.GetProperty("items")[0];
        Assert.Equal(("image.registered", "restorer"), (registered.Str("type"), registered.Str("by")));
        Assert.StartsWith("import-db ", registered.Str("reason"));
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "imports", job.Str("id")))); // the upload is removed

        // The same file again: everything is already there.
        var again = await Finished((await Upload(file)).Headers.Location!.OriginalString);
        Assert.Equal(2, again.GetProperty("summary").GetProperty("skipped").GetInt32());
        Assert.Equal(2, (await Client.GetJson("/api/imports")).GetArrayLength());
    }

    [Fact]
    public async Task what_is_not_an_assets_db_is_refused_and_nothing_is_queued()
    {
        Assert.Contains("not a SQLite database", await (await Upload("<html>hello</html>"u8.ToArray())).Problem(HttpStatusCode.UnsupportedMediaType));
        Assert.Contains("Content-Type", await (await Upload(TestMedia.Png(), "image/png")).Problem(HttpStatusCode.UnsupportedMediaType));
        Assert.Contains("too short", await (await Upload([])).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("larger than the limit", await (await Upload(new byte[3 * 1024 * 1024])).Problem(HttpStatusCode.RequestEntityTooLarge));

        // A SQLite file in another schema is taken, then fails and says why.
        using var dir = new TempDirectory();
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dir["other.db"]};Pooling=False"))
        {
            db.Open();
            using var create = db.CreateCommand();
            create.CommandText = "create table notes (id integer primary key, text text)";
            create.ExecuteNonQuery();
        }
        var job = await Finished((await Upload(await File.ReadAllBytesAsync(dir["other.db"]))).Headers.Location!.OriginalString);
        Assert.Equal(JobStatus.Failed, job.Str("status"));
        Assert.Contains("is not in the seed's schema", job.Str("error"));
        Assert.Equal(1, (await Client.GetJson("/api/imports")).GetArrayLength());
        await (await Client.GetAsync("/api/imports/imp_nope")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task imports_this_node_was_running_when_it_stopped_are_marked_failed()
    {
        await using (var session = App.Store.LightweightSession())
        {
            session.Store(new ImportJob("imp_mine", JobStatus.Running, 10, "ab", "t", DateTimeOffset.UtcNow, Node: BackgroundJobs.ThisNode));
            await session.SaveChangesAsync();
        }
        Directory.CreateDirectory(Path.Combine(App.DataDirectory, "imports", "imp_mine"));

        await App.Services.GetServices<IHostedService>().OfType<ImportHousekeeping>().Single().MarkInterruptedAsync(default);

        var mine = await Client.GetJson("/api/imports/imp_mine");
        Assert.Equal(JobStatus.Failed, mine.Str("status"));
        Assert.Contains("send the file again", mine.Str("error"));
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "imports", "imp_mine")));
    }

    [Fact]
    public async Task an_assets_db_from_an_app_of_the_seeds_design_comes_in_whole_and_goes_out_as_it_came()
    {
        using var dir = new TempDirectory();
        var source = await RealWorldAssetsDb.CreateAsync(dir["app"]);

        var uploaded = await Upload(await File.ReadAllBytesAsync(source));
        Assert.True(uploaded.Headers.Location is not null, await uploaded.Content.ReadAsStringAsync());
        var job = await Finished(uploaded.Headers.Location!.OriginalString);

        var summary = job.GetProperty("summary");
        Assert.True(summary.GetProperty("ok").GetBoolean(), summary.ToString());
        Assert.Equal((12, 0), (summary.GetProperty("registered").GetInt32(), summary.GetProperty("failed").GetInt32()));
        await File.WriteAllBytesAsync(dir["exported.db"], await ExportedCatalog());
        // (sqlite_sequence too, in an empty catalog: tests/Catalog.Importer.Tests/ImportingRealWorldData.cs; here other tests ran first.)
        foreach (var table in RealWorldAssetsDb.Tables.Where(t => t != "sqlite_sequence"))
            Assert.Equal(RealWorldAssetsDb.Rows(source, table), RealWorldAssetsDb.Rows(dir["exported.db"], table));
    }

    [Fact]
    public async Task the_same_rows_sent_one_by_one_through_the_api_export_as_they_came()
    {
        using var dir = new TempDirectory();
        var source = await RealWorldAssetsDb.CreateAsync(dir["app"]);
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            foreach (var row in Read(db, "productions"))
            {
                var body = row.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value);
                await (await Client.SendJson(HttpMethod.Post, "/api/productions", body)).Json(HttpStatusCode.Created);
            }
            foreach (var table in new[] { "images", "videos", "audio" })
            {
                foreach (var row in Read(db, table))
                {
                    // Every column as the form field of its name, but the ones the catalog takes from the bytes and the id it gives.
                    var fields = row.Where(c => c.Value is not null && c.Key is not ("id" or "binary_data" or "file_size" or "mime_type"))
                        .ToDictionary(c => c.Key, c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)!);
                    await File.WriteAllBytesAsync(dir[$"app/{row["filename"]}"], (byte[])row["binary_data"]!);
                    var response = await Client.Register(table, (byte[])row["binary_data"]!, (string)row["filename"]!, fields);
                    await response.Json(HttpStatusCode.Created);
                }
            }
        }
        await File.WriteAllBytesAsync(dir["exported.db"], await ExportedCatalog());

        Assert.Equal(RealWorldAssetsDb.Rows(source, "productions"), RealWorldAssetsDb.Rows(dir["exported.db"], "productions"));
        var probe = Catalog.Infrastructure.Media.MediaProbe.FromSetting(Environment.GetEnvironmentVariable("Catalog__Ffprobe"));
        foreach (var table in new[] { "images", "videos", "audio" })
        {
            // The API numbers them itself; every other column is as it was — but those left empty that the bytes can say,
            // which an upload reads from the bytes as import-fs does (an empty form field is no value).
            var sent = Columns(RealWorldAssetsDb.Rows(source, table)).ToDictionary(r => r["filename"]);
            var exported = Columns(RealWorldAssetsDb.Rows(dir["exported.db"], table)).ToDictionary(r => r["filename"]);
            Assert.Equal(sent.Keys.Order(), exported.Keys.Order());
            foreach (var (filename, row) in sent)
            {
                var facts = (await probe.ProbeAsync(dir[$"app/{filename}"], row["mime_type"], default)).Facts!;
                foreach (var (column, value) in row.Where(c => c.Key != "id"))
                {
                    var expected = value is "NULL" or "" && Catalog.Infrastructure.Media.MediaFacts.Columns.Contains(column)
                        ? facts.Column(column) is { } read ? Convert.ToString(read, System.Globalization.CultureInfo.InvariantCulture) : "NULL"
                        : value;
                    Assert.True(expected == exported[filename][column], $"{table} {filename} {column}: sent {value}, expected {expected}, exported {exported[filename][column]}");
                }
            }
        }
    }

    private static IEnumerable<Dictionary<string, string>> Columns(IEnumerable<string> rows) =>
        rows.Select(r => r.Split(" | ").Select(c => c.Split('=', 2)).ToDictionary(c => c[0], c => c[1]));

    private static List<Dictionary<string, object?>> Read(Microsoft.Data.Sqlite.SqliteConnection db, string table)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"select * from {table} order by id";
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }
}
