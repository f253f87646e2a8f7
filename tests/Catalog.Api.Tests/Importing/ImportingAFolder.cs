using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Importer;
using Catalog.Testing;

namespace Catalog.Api.Tests.Importing;

/// <summary>
/// <c>POST /api/imports/folders</c>: a folder of the service's machine imported by the service, for the operator on that
/// machine only (what <c>catalog import-fs</c> hands a running service), answered a JSON line at a time.
/// </summary>
public sealed class ImportingAFolder(CatalogApp app) : ApiTest(app)
{
    private string OperatorToken => App.OperatorToken();

    private Task<HttpResponseMessage> Import(string? key, object body, string? actor = null) => App.LocalImport("/api/imports/folders", key, body, actor);

    private static Task<List<ImportLine>> Lines(HttpResponseMessage response) => LocalImportCalls.Lines(response);

    private static TempDirectory Folder(params (string Path, byte[] Bytes)[] files)
    {
        var root = new TempDirectory();
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(root[path])!);
            File.WriteAllBytes(root[path], bytes);
        }
        return root;
    }

    [Fact]
    public async Task the_operator_imports_a_folder_of_the_machine_as_the_named_user_with_every_check_of_the_cli()
    {
        var png = TestMedia.Png(seed: 3);
        var wav = TestMedia.Wav(seconds: 1);
        var cut = TestMedia.Png(seed: 4)[..^12]; // no IEND: damaged
        using var root = Folder(("data/images/frame.png", png), ("data/images/cut.png", cut), ("data/audio/track.wav", wav),
            ("data/images/notes.png", "not a picture"u8.ToArray()),
            ("data/productions/prod_folder.json", """{"id":"prod_folder","title":"From a folder","audio_filename":"track.wav"}"""u8.ToArray()));

        var lines = await Lines(await Import(OperatorToken, new { root = root.Path, audio_type = "stem" }, actor: "alice"));

        var summary = Assert.Single(lines, l => l.Summary is not null).Summary!;
        Assert.Same(summary, lines[^1].Summary);                    // the summary comes last
        Assert.False(summary.Ok);
        Assert.Equal(2, summary.Registered);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Unrecognised);
        Assert.Equal(1, summary.ProductionsCreated);
        Assert.Equal(1, summary.Linked);
        Assert.Equal(png.Length + wav.Length, summary.Bytes);
        var entries = lines.Where(l => l.Entry is not null).Select(l => l.Entry!).ToList();
        Assert.Contains(entries, e => e is { Label: "failed", Item: "data/images/cut.png" });
        Assert.Contains(entries, e => e is { Label: "unrecognised", Item: "data/images/notes.png" });
        Assert.Contains(lines, l => l.Progress is { Rows: > 0 });

        var item = Assert.Single((await Client.GetJson("/api/gallery/images")).GetProperty("items").EnumerateArray());
        Assert.Equal("frame.png", item.Str("filename"));
        Assert.Equal(png, await Client.GetByteArrayAsync($"/api/media/image/{item.Long("id")}"));
        var audio = Assert.Single((await Client.GetJson("/api/gallery/audio")).GetProperty("items").EnumerateArray());
        Assert.Equal("stem", audio.Str("audio_type"));
        Assert.Equal("prod_folder", audio.Str("production_id"));

        // Recorded as the user the operator names, through the operator, for the import's reason.
        var history = await Client.GetJson($"/api/history/images/{item.Long("id")}");
        var registered = history.GetProperty("items")[0];
        Assert.Equal("alice", registered.Str("by"));
        Assert.Equal($"import-fs {root.Path}", registered.Str("reason"));

        // Again: everything there is skipped, nothing appended.
        var events = await App.EventCount();
        var again = (await Lines(await Import(OperatorToken, new { root = root.Path, audio_type = "stem" }))).Single(l => l.Summary is not null).Summary!;
        Assert.Equal((0, 2), (again.Registered, again.Skipped));
        Assert.Equal(events, await App.EventCount());
    }

    [Fact]
    public async Task two_imports_of_one_folder_at_once_register_each_file_once()
    {
        var files = Enumerable.Range(0, 40).Select(i => ($"data/images/frame-{i:D2}.png", TestMedia.Png(96, 54, seed: 100 + i))).ToArray();
        using var root = Folder(files);

        var both = await Task.WhenAll(Import(OperatorToken, new { root = root.Path }), Import(OperatorToken, new { root = root.Path }));
        var summaries = new List<ImportSummary>();
        foreach (var response in both) summaries.Add((await Lines(response)).Single(l => l.Summary is not null).Summary!);

        // Each file is registered by one of the two; the other skips it or, having lost the race for its name, says so.
        Assert.Equal(files.Length, summaries.Sum(s => s.Registered));
        Assert.All(summaries, s => Assert.Equal(files.Length, s.Registered + s.Skipped + s.Conflicts));
        var listed = (await Client.GetJson("/api/gallery/images?limit=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(files.Length, listed.Count);
        Assert.Equal(files.Select(f => Path.GetFileName(f.Item1)).Order(), listed.Select(i => i.Str("filename")).Order());
    }

    [Fact]
    public async Task only_the_operator_may_ask_an_admin_key_is_refused_and_nothing_is_read()
    {
        using var root = Folder(("data/images/frame.png", TestMedia.Png(seed: 5)));

        var admin = await Import(App.TestKey, new { root = root.Path });
        Assert.Contains("not the operator's", await admin.Problem(HttpStatusCode.Forbidden));
        var none = await Import(null, new { root = root.Path });
        Assert.Contains("only the operator on that machine", await none.Problem(HttpStatusCode.Unauthorized));
        var wrong = await Import("op_" + new string('0', 48), new { root = root.Path });
        await wrong.Problem(HttpStatusCode.Unauthorized);

        Assert.Equal(0, await App.EventCount());
    }

    [Fact]
    public async Task a_request_refused_before_the_import_is_a_problem_and_appends_nothing()
    {
        using var root = Folder(("data/images/frame.png", TestMedia.Png(seed: 6)));

        Assert.Contains("absolute path", await (await Import(OperatorToken, new { root = "data/images" })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("does not exist", await (await Import(OperatorToken, new { root = root["missing"] })).Problem(HttpStatusCode.NotFound));
        // A folder without the seed's layout: said before the import's lines start, not as a stopped import's last line.
        Assert.EndsWith("(nor those folders directly).", await (await Import(OperatorToken, new { root = root["data/images"] })).Problem(HttpStatusCode.NotFound));
        Assert.Contains("--image-type", await (await Import(OperatorToken, new { root = root.Path, image_type = "bad\u0001type" })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("not_an_option", await (await Import(OperatorToken, new { root = root.Path, not_an_option = 1 })).Problem(HttpStatusCode.BadRequest));

        Assert.Equal(0, await App.EventCount());
    }
}
