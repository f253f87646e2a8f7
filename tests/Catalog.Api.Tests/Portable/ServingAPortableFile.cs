using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Portable;

/// <summary>
/// Portable mode read back through every read endpoint, on a file the sqlite3 shell wrote (portable rows, hybrid rows,
/// a row whose bytes are missing): the same rows, the same bytes by SHA-256, Range, ETag/304, HEAD, nosniff; 405 on
/// writes; the file untouched.
/// </summary>
public sealed class ServingAPortableFile : IClassFixture<PortableFile>, IAsyncLifetime
{
    private readonly PortableFile _file;
    private readonly TempDirectory _data = new("catalog-portable-data-");
    private readonly PortableApp _app;
    private readonly HttpClient _client;
    private string _fileHash = "";
    private DateTime _fileWritten;
    private string[] _folder = [];

    public ServingAPortableFile(PortableFile file)
    {
        _file = file;
        _app = new PortableApp(file.Path, _data.Path);
        _client = _app.CreateClient();
    }

    public Task InitializeAsync()
    {
        _fileHash = TestMedia.Sha256(File.ReadAllBytes(_file.Path));
        _fileWritten = File.GetLastWriteTimeUtc(_file.Path);
        _folder = Listing();
        return Task.CompletedTask;
    }

    private string[] Listing() => Directory.GetFiles(_file.Folder, "*", SearchOption.AllDirectories).Order().ToArray();

    [Fact]
    public async Task lists_hold_every_row_newest_first_with_filters_paging_and_totals()
    {
        var images = await _client.GetJson("/api/gallery/images");
        Assert.Equal(["13", "12", "8", "7", "3"], images.Ids());
        Assert.Equal(5, images.Long("total"));
        var first = images.GetProperty("items")[1];
        Assert.Equal("wide.png", first.Str("filename"));
        Assert.Equal("reference", first.Str("image_type"));
        Assert.Equal("512x288 (upscaled)", first.Str("size"));
        Assert.Equal(12.25, first.GetProperty("cfg").GetDouble());
        Assert.Equal(150, first.GetProperty("steps").GetInt32());
        Assert.Equal("2024-05-01T00:01:00Z", first.Str("created_at"));
        Assert.Equal("/api/media/image/12", first.Str("media_url"));
        Assert.True(first.GetProperty("available").GetBoolean());
        Assert.True(first.IsNull("version"));

        var lost = images.GetProperty("items")[0];
        Assert.Equal("lost.png", lost.Str("filename"));
        Assert.False(lost.GetProperty("available").GetBoolean());

        Assert.Equal(["8"], (await _client.GetJson("/api/gallery/images?type=generated&offset=1&limit=1")).Ids());
        Assert.Equal(2, (await _client.GetJson("/api/gallery/images?type=generated&offset=1&limit=1")).Long("total"));
        Assert.Equal(["13", "7", "3"], (await _client.GetJson("/api/gallery/images?production_id=prod_mv1")).Ids());
        Assert.Equal(["9"], (await _client.GetJson("/api/gallery/videos?type=lyric%20video")).Ids());
        Assert.Empty((await _client.GetJson("/api/gallery/videos?type=nobody")).Ids());
        Assert.Equal(["11", "10", "6", "4", "1"], (await _client.GetJson("/api/gallery/audio")).Ids());

        var hybrid = (await _client.GetJson("/api/gallery/videos")).GetProperty("items").EnumerateArray().Single(v => v.Str("filename") == "broll.mov");
        Assert.True(hybrid.GetProperty("available").GetBoolean());

        var productions = await _client.GetJson("/api/gallery/productions");
        Assert.Equal(["prod_mv3", "prod_mv2", "prod_mv1"], productions.Ids());
        Assert.Equal(["prod_mv1"], (await _client.GetJson("/api/gallery/productions?status=archived")).Ids());
        var night = productions.GetProperty("items")[2];
        Assert.Equal("Van Williams", night.Str("artist"));
        Assert.Equal(182.5, night.GetProperty("audio_duration").GetDouble());
        Assert.Equal("{\"clips\":[{\"id\":\"clip_001\",\"prompt\":\"neon\"}]}", night.Str("storyboard_json"));
        Assert.Equal("night-drive.mp3", night.Str("audio_filename"));
        Assert.Equal("2024-03-02T11:30:00Z", night.Str("updated_at"));

        await (await _client.GetAsync("/api/gallery/images?limit=0")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task details_carry_the_production_link_and_productions_their_assets()
    {
        var image = await _client.GetJson("/api/gallery/image/3");
        Assert.Equal("board_001.jpg", image.Str("filename"));
        var link = image.GetProperty("production");
        Assert.Equal("prod_mv1", link.Str("id"));
        Assert.Equal("Night Drive", link.Str("title"));
        Assert.Equal("archived", link.Str("status"));
        Assert.Equal("/api/gallery/production/prod_mv1", link.Str("url"));
        Assert.Contains("no image 99", await (await _client.GetAsync("/api/gallery/image/99")).Problem(HttpStatusCode.NotFound));
        await (await _client.GetAsync("/api/gallery/image/abc")).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("portable file", await (await _client.GetAsync("/api/gallery/image/3?version=1")).Problem(HttpStatusCode.BadRequest));

        var production = await _client.GetJson("/api/gallery/production/prod_mv1?limit=2");
        Assert.Equal("Van Williams", production.GetProperty("production").Str("artist"));
        Assert.Equal(3, production.GetProperty("totals").Long("images"));
        Assert.Equal(2, production.GetProperty("totals").Long("videos"));
        Assert.Equal(2, production.GetProperty("totals").Long("audio"));
        Assert.Equal(["13", "7"], production.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").ToString()).ToList());
        Assert.Equal(2, production.GetProperty("limit").GetInt32());
        await (await _client.GetAsync("/api/gallery/production/nope")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task search_finds_prompts_titles_and_artists_by_word_prefixes()
    {
        var hits = await _client.GetJson("/api/gallery/search?q=van+WILL");
        var found = hits.GetProperty("items").EnumerateArray().Select(i => $"{i.Str("kind")}/{i.GetProperty("id")}").ToHashSet();
        // The production by its artist, and every asset of it by its production's artist.
        Assert.Equal(["production/prod_mv1", "image/3", "image/7", "image/13", "video/2", "video/5", "audio/1", "audio/4"], found);
        Assert.Equal(8, hits.Long("total"));
        Assert.All(hits.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("rank").GetDouble() > 0));

        var records = await _client.GetJson("/api/gallery/search?q=spinning+rec&type=images");
        Assert.Equal(["8"], records.Ids());
        Assert.Equal("spin.gif", records.GetProperty("items")[0].Str("filename"));
        Assert.Empty((await _client.GetJson("/api/gallery/search?q=spinning&type=videos")).Ids());
        Assert.Equal(["prod_mv2"], (await _client.GetJson("/api/gallery/search?q=ortega&type=productions")).Ids());
        await (await _client.GetAsync("/api/gallery/search?q=%20")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task stats_count_rows_and_bytes_per_kind_type_and_status()
    {
        var stats = await _client.GetJson("/api/gallery/stats");
        var images = stats.GetProperty("images");
        Assert.Equal(5, images.Long("count"));
        Assert.Equal(1, images.GetProperty("by_type").GetProperty("storyboard").Long("count"));
        Assert.Equal(0, images.GetProperty("by_type").GetProperty("thumbnail").Long("count"));
        Assert.Equal(3, stats.GetProperty("videos").Long("count"));
        Assert.Equal(5, stats.GetProperty("audio").Long("count"));
        Assert.Equal(3, stats.GetProperty("productions").Long("count"));
        Assert.Equal(1, stats.GetProperty("productions").GetProperty("by_status").Long("in review"));
        // Every row's bytes, those beside the file with no file_size included.
        Assert.Equal(await BlobBytes(_file.Inline), stats.Long("storage_bytes"));
        var latest = stats.GetProperty("recent_activity").GetProperty("latest");
        Assert.Equal(16, latest.GetArrayLength());
        Assert.Equal("image.registered", latest[0].Str("event"));
        Assert.Equal("13", latest[0].Str("id"));
    }

    private static async Task<long> BlobBytes(string path)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "select (select sum(length(binary_data)) from images) + (select sum(length(binary_data)) from videos) + (select sum(length(binary_data)) from audio)";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task every_rows_bytes_come_back_whole_from_the_blob_or_from_beside_the_file()
    {
        foreach (var (key, sha256) in _file.Sha256)
        {
            var (table, id) = (key.Split('/')[0], key.Split('/')[1]);
            var kind = table switch { "images" => "image", "videos" => "video", _ => "audio" };
            using var response = await _client.GetAsync($"/api/media/{kind}/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(sha256, TestMedia.Sha256(bytes));
            Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.Tag);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);

            // Once hashed, the list shows the same sha256 the bytes have.
            var detail = await _client.GetJson($"/api/gallery/{kind}/{id}");
            Assert.Equal(sha256, detail.Str("sha256"));
        }
        Assert.Equal("audio/ogg", (await _client.GetAsync("/api/media/audio/4")).Content.Headers.ContentType?.MediaType);

        var missing = await (await _client.GetAsync("/api/media/image/13")).Problem(HttpStatusCode.NotFound);
        Assert.Contains("data/images/lost.png", missing);
        Assert.Contains("binary_data is NULL", missing);
    }

    [Fact]
    public async Task media_answers_ranges_conditionals_and_head_like_the_catalog()
    {
        var whole = await _client.GetByteArrayAsync("/api/media/video/2");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(whole));

        foreach (var url in new[] { "/api/media/video/2", "/api/media/video/5" })
        {
            var bytes = await _client.GetByteArrayAsync(url);
            using var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, 1123) } };
            using var partial = await _client.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes.AsSpan(100, 1024).ToArray(), await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes 100-1123/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());

            using var past = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(bytes.Length + 10, null) } };
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await _client.SendAsync(past)).StatusCode);

            using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/media/video/2") { Headers = { IfNoneMatch = { new EntityTagHeaderValue($"\"{sha256}\"") } } };
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task every_write_is_a_405_that_says_how_to_import_and_the_catalogs_own_records_are_a_404()
    {
        var writes = new (HttpMethod Method, string Url, HttpContent? Body)[]
        {
            (HttpMethod.Post, "/api/productions", new StringContent("{\"title\":\"x\"}", Encoding.UTF8, "application/json")),
            (HttpMethod.Patch, "/api/productions/prod_mv1", new StringContent("{\"title\":\"x\"}", Encoding.UTF8, "application/json")),
            (HttpMethod.Delete, "/api/productions/prod_mv1", null),
            (HttpMethod.Put, "/api/productions/prod_mv1/storyboard", new StringContent("{}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/images", new MultipartFormDataContent { { new ByteArrayContent(TestMedia.Png()), "file", "x.png" } }),
            (HttpMethod.Delete, "/api/images/3", null),
            (HttpMethod.Post, "/api/exports", new StringContent("{}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/imports", new ByteArrayContent(File.ReadAllBytes(_file.Inline))),
            (HttpMethod.Post, "/api/admin/purge", null),
        };
        foreach (var (method, url, body) in writes)
        {
            using var response = await _client.SendAsync(new HttpRequestMessage(method, url) { Content = body });
            var detail = await response.Problem(HttpStatusCode.MethodNotAllowed);
            Assert.Contains("read-only", detail);
            Assert.Contains($"catalog import-db {_file.Path}", detail);
            Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
        }

        foreach (var url in new[] { "/api/history/images/3", "/api/gallery/trash", "/api/exports", "/api/keys" })
            Assert.Contains("not served from a portable file", await (await _client.GetAsync(url)).Problem(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task swagger_and_readiness_answer_without_postgresql()
    {
        var document = await _client.GetJson("/swagger/v1/swagger.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/gallery/images", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/media/video/{id}", out _));
        var ready = await _client.GetJson("/health/ready");
        Assert.Equal("healthy", ready.Str("status"));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Nothing was written: the file's bytes and time, and nothing beside it (no journal, WAL or cache files).
        Assert.Equal(_fileHash, TestMedia.Sha256(File.ReadAllBytes(_file.Path)));
        Assert.Equal(_fileWritten, File.GetLastWriteTimeUtc(_file.Path));
        Assert.Equal(_folder, Listing());
        _data.Dispose();
    }
}

/// <summary>Files portable mode must not serve are refused at start: one line on stderr, exit code 2.</summary>
public sealed class RefusingAFile
{
    [Theory]
    [InlineData("not-seed", "is not an assets.db in the seed's schema")]
    [InlineData("damaged", "is damaged")]
    [InlineData("text", "cannot be read as a SQLite database")]
    [InlineData("absent", "does not exist")]
    public async Task a_file_that_is_not_the_seeds_or_is_damaged_is_refused_with_one_line_and_exit_code_2(string what, string expected)
    {
        using var folder = new TempDirectory();
        var path = folder["assets.db"];
        switch (what)
        {
            case "not-seed":
                await PortableFile.Sqlite3(path, "CREATE TABLE images (id INTEGER PRIMARY KEY, filename TEXT);", folder.Path);
                break;
            case "damaged":
                var made = await RealWorldAssetsDb.CreateAsync(folder.Path);
                // Overwrite the header of the images table's root page: its b-tree no longer adds up.
                await PortableFile.Sqlite3(made, "VACUUM;", folder.Path);
                var bytes = await File.ReadAllBytesAsync(made);
                var pageSize = bytes[16] << 8 | bytes[17];
                var root = await RootPage(made, "images");
                bytes[(root - 1) * pageSize + 5] = 0xff;
                bytes[(root - 1) * pageSize + 6] = 0xff;
                bytes[(root - 1) * pageSize + 3] = 0x7f;
                await File.WriteAllBytesAsync(made, bytes);
                break;
            case "text":
                await File.WriteAllTextAsync(path, "id,filename\n1,a.png\n");
                break;
        }

        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = folder.Path,
            Environment =
            {
                ["Catalog__AssetsDb"] = path,
                ["Catalog__DataDirectory"] = folder["catalog-data"],
                ["Urls"] = "http://127.0.0.1:0",
            },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        var message = (await stderr).Trim();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("   at ", message + await stdout);
        Assert.False(Directory.Exists(folder["catalog-data"]), "portable mode made a data directory it has no use for");
    }

    private static async Task<int> RootPage(string path, string table)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = $"select rootpage from sqlite_master where name = '{table}'";
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}

/// <summary>A file in WAL mode is read without a <c>-wal</c> or <c>-shm</c> file made beside it.</summary>
public sealed class ReadingAWalModeFile
{
    [Fact]
    public async Task a_wal_mode_file_is_served_and_nothing_is_made_beside_it()
    {
        using var folder = new TempDirectory("catalog-portable-wal-");
        var path = await RealWorldAssetsDb.CreateAsync(folder["with space #1"]);
        await PortableFile.Sqlite3(path, "PRAGMA journal_mode = WAL;", folder.Path);
        var before = Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        var hash = TestMedia.Sha256(await File.ReadAllBytesAsync(path));

        await using (var app = new PortableApp(path, folder["catalog-data"]))
        {
            using var client = app.CreateClient();
            Assert.Equal(4, (await client.GetJson("/api/gallery/images")).Long("total"));
            Assert.Equal(TestMedia.Sha256(await File.ReadAllBytesAsync(TestMedia.Fixture("clip-720p-24fps-3s.mp4"))),
                TestMedia.Sha256(await client.GetByteArrayAsync("/api/media/video/2")));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Equal(before, Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Order().ToArray());
        Assert.Equal(hash, TestMedia.Sha256(await File.ReadAllBytesAsync(path)));
    }
}
