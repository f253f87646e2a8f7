using Catalog.Api.Tests.Faults;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Assets;

/// <summary>
/// <c>POST /api/{table}/batch</c>: many files in one multipart request, fields applying to the files after them, each file
/// answered on its own — registered, or refused with the problem a single upload would have had — and nothing of a body cut short.
/// </summary>
public sealed class BatchUploads(CatalogApp app) : ApiTest(app)
{
    /// <summary>The parts in order: a (name, value) text field, or a (file name, bytes) file.</summary>
    private static MultipartFormDataContent Form(params object[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            switch (part)
            {
                case (string name, string value):
                    form.Add(new StringContent(value), name);
                    break;
                case (string fileName, byte[] bytes):
                    var file = new ByteArrayContent(bytes);
                    file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(file, "file", fileName);
                    break;
            }
        }
        return form;
    }

    private async Task<JsonElement> Batch(string table, HttpContent form) =>
        await (await Client.PostAsync($"/api/{table}/batch", form)).Json(HttpStatusCode.OK);

    private static (int Status, string Filename, string? Detail)[] Answers(JsonElement result) =>
        result.GetProperty("files").EnumerateArray()
            .Select(f => (f.GetProperty("status").GetInt32(), f.GetProperty("filename").GetString()!,
                f.GetProperty("problem").ValueKind == JsonValueKind.Object ? f.GetProperty("problem").GetProperty("detail").GetString() : null))
            .ToArray();

    private async Task AssertNoStagedFilesLeft()
    {
        await Task.Yield();
        Assert.Empty(Acknowledged.Staging(App.BlobDirectory));
    }

    [Fact]
    public async Task each_file_is_registered_with_the_fields_sent_before_it()
    {
        await Client.CreatedProduction("prod_batch");
        var result = await Batch("images", Form(
            ("production_id", "prod_batch"), ("image_type", "generated"), ("prompt", "neon"),
            ("a.png", TestMedia.Png(seed: 1)),
            ("b.png", TestMedia.Png(80, 45, seed: 2)),
            ("image_type", "reference"), ("prompt", ""),
            ("c.png", TestMedia.Png(seed: 3))));

        Assert.Equal(3, result.GetProperty("registered").GetInt32());
        Assert.Equal(0, result.GetProperty("refused").GetInt32());
        var files = result.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["a.png", "b.png", "c.png"], files.Select(f => f.GetProperty("filename").GetString()));
        Assert.All(files, f => Assert.Equal(201, f.GetProperty("status").GetInt32()));

        var details = new List<JsonElement>();
        foreach (var file in files)
        {
            var detail = await Client.GetJson(file.GetProperty("location").GetString()!);
            Assert.Equal(file.GetProperty("id").GetInt64(), detail.GetProperty("id").GetInt64());
            Assert.Equal("prod_batch", detail.GetProperty("production_id").GetString());
            details.Add(detail);
        }
        Assert.Equal(["generated", "generated", "reference"], details.Select(d => d.GetProperty("image_type").GetString()));
        Assert.Equal(["neon", "neon", null], details.Select(d => d.GetProperty("prompt").GetString()));
        Assert.Equal("80x45", details[1].GetProperty("size").GetString()); // read from the bytes, as a single upload reads it

        var bytes = await Client.GetByteArrayAsync($"/api/media/image/{files[1].GetProperty("id").GetInt64()}");
        Assert.Equal(TestMedia.Png(80, 45, seed: 2), bytes);
        await AssertNoStagedFilesLeft();
    }

    [Fact]
    public async Task a_refused_file_is_answered_on_its_own_and_its_neighbours_are_registered()
    {
        await Client.RegisteredImage("taken.png");
        var before = await App.EventCount();

        var result = await Batch("images", Form(
            ("image_type", "generated"),
            ("first.png", TestMedia.Png(seed: 11)),
            ("notes.png", Encoding.UTF8.GetBytes("not a picture at all")),
            ("clip.png", TestMedia.Mp4()),
            ("empty.png", Array.Empty<byte>()),
            ("cut.png", TestMedia.Png(seed: 12)[..100]),
            ("taken.png", TestMedia.Png(seed: 13)),
            ("first.png", TestMedia.Png(seed: 14)),
            ("steps", "many"),
            ("bad-steps.png", TestMedia.Png(seed: 15)),
            ("steps", ""),
            ("last.png", TestMedia.Png(seed: 16))));

        var answers = Answers(result);
        Assert.Equal(
            [(201, "first.png"), (415, "notes.png"), (415, "clip.png"), (400, "empty.png"), (422, "cut.png"), (409, "taken.png"),
             (409, "first.png"), (400, "bad-steps.png"), (201, "last.png")],
            answers.Select(a => (a.Status, a.Filename)));
        Assert.Contains("video/mp4", answers[2].Detail);
        Assert.Contains("damaged", answers[4].Detail);
        Assert.Contains("already taken", answers[5].Detail);
        Assert.Contains("earlier in this batch", answers[6].Detail);
        Assert.Equal(2, result.GetProperty("registered").GetInt32());
        Assert.Equal(7, result.GetProperty("refused").GetInt32());
        Assert.Equal(before + 2, await App.EventCount());
        await AssertNoStagedFilesLeft();
    }

    /// <summary>Wider than the seed's examples: a type of its own, a name in another script, a name no folder can hold.</summary>
    [Fact]
    public async Task open_types_and_unicode_names_are_kept_and_a_name_with_a_control_character_is_refused_alone()
    {
        var result = await Batch("images", Form(
            ("image_type", "moodboard"),
            ("夜のドライブ 01.png", TestMedia.Png(seed: 21)),
            ("bad\u0001name.png", TestMedia.Png(seed: 22)),
            ("last.png", TestMedia.Png(seed: 23))));

        var answers = Answers(result);
        Assert.Equal([201, 400, 201], answers.Select(a => a.Status));
        var kept = await Client.GetJson(result.GetProperty("files")[0].GetProperty("location").GetString()!);
        Assert.Equal("夜のドライブ 01.png", kept.GetProperty("filename").GetString());
        Assert.Equal("moodboard", kept.GetProperty("image_type").GetString());
        await AssertNoStagedFilesLeft();
    }

    [Fact]
    public async Task more_files_than_one_group_are_all_registered_with_their_own_ids()
    {
        var count = Catalog.Api.Assets.RegisterAssetsEndpoint.GroupSize + 5;
        var parts = new List<object> { ("audio_type", "original") };
        for (var i = 0; i < count; i++) parts.Add(($"take-{i:D3}.wav", TestMedia.Wav(0.1 + i / 1000.0, 22_050)));

        var result = await Batch("audio", Form([.. parts]));

        Assert.Equal(count, result.GetProperty("registered").GetInt32());
        var ids = result.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(count, ids.Distinct().Count());
        var last = await Client.GetJson($"/api/gallery/audio/{ids[^1]}");
        Assert.Equal($"take-{count - 1:D3}.wav", last.GetProperty("filename").GetString());
        Assert.Equal(22_050, last.GetProperty("sample_rate").GetInt32()); // read from the bytes
        Assert.Equal(count, (await Client.GetJson("/api/gallery/audio?limit=1")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task a_body_cut_short_registers_nothing()
    {
        var boundary = "cut";
        var body = new StringBuilder();
        body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"video_type\"\r\n\r\nclip\r\n");
        body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"one.mp4\"\r\n\r\n");
        body.Append(Encoding.Latin1.GetString(TestMedia.Mp4())).Append("\r\n");
        body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.mp4\"\r\n\r\n");
        body.Append(Encoding.Latin1.GetString(TestMedia.Mp4()[..5000])); // no closing boundary
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body.ToString()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        var response = await Client.PostAsync("/api/videos/batch", content);

        Assert.Contains("closing boundary", await response.Problem(HttpStatusCode.BadRequest));
        Assert.Equal(0, await App.EventCount());
        await AssertNoStagedFilesLeft();
    }

    [Fact]
    public async Task a_request_that_is_not_a_batch_is_refused_whole_and_a_filename_field_refuses_its_file()
    {
        Assert.Contains("no file", await (await Client.PostAsync("/api/images/batch", Form(("image_type", "generated"))))
            .Problem(HttpStatusCode.BadRequest));
        Assert.Contains("multipart", await (await Client.PostAsync("/api/images/batch", new StringContent("{}", Encoding.UTF8, "application/json")))
            .Problem(HttpStatusCode.UnsupportedMediaType));

        var answers = Answers(await Batch("images", Form(("image_type", "generated"), ("filename", "x.png"), ("a.png", TestMedia.Png()))));

        Assert.Equal(400, answers.Single().Status);
        Assert.Contains("part's file name", answers.Single().Detail);
        Assert.Equal(0, await App.EventCount());
    }

    /// <summary>Two batches racing for the same filenames: each name is registered once, the loser's file answered 409, no 500.</summary>
    [Fact]
    public async Task two_batches_racing_for_the_same_filenames_register_each_once()
    {
        HttpContent Race() => Form([("video_type", "clip"), .. Enumerable.Range(0, 8).Select(i => (object)($"race-{i}.mp4", TestMedia.Mp4()))]);

        var results = await Task.WhenAll(Batch("videos", Race()), Batch("videos", Race()));

        var all = results.SelectMany(Answers).ToList();
        Assert.All(all, a => Assert.Contains(a.Status, new[] { 201, 409 }));
        foreach (var name in Enumerable.Range(0, 8).Select(i => $"race-{i}.mp4"))
            Assert.Equal(1, all.Count(a => a.Filename == name && a.Status == 201));
        Assert.Equal(8, (await Client.GetJson("/api/gallery/videos?limit=1")).GetProperty("total").GetInt64());
        await AssertNoStagedFilesLeft();
    }

    /// <summary>
    /// Two batches registering into the same two productions in opposite orders, at once, again and again: each group locks
    /// its productions up front in one order, so neither waits on the other in a cycle (a deadlock PostgreSQL would break by
    /// failing one of them) — every file of both is registered.
    /// </summary>
    [Fact]
    public async Task batches_into_the_same_productions_in_opposite_orders_never_fail_each_other()
    {
        await Client.CreatedProduction("prod_east", "East", "Van Williams");
        await Client.CreatedProduction("prod_west", "West", "Van Williams");
        for (var round = 0; round < 5; round++)
        {
            HttpContent Into(string first, string second, string side) => Form([("image_type", "generated"), ("production_id", first),
                .. Enumerable.Range(0, 3).Select(i => (object)($"{side}-{round}-{i}.png", TestMedia.Png(seed: round * 100 + i + (side == "a" ? 0 : 50)))),
                ("production_id", second),
                .. Enumerable.Range(3, 3).Select(i => (object)($"{side}-{round}-{i}.png", TestMedia.Png(seed: round * 100 + i + (side == "a" ? 0 : 50))))]);

            var results = await Task.WhenAll(Batch("images", Into("prod_east", "prod_west", "a")), Batch("images", Into("prod_west", "prod_east", "b")));

            Assert.All(results.SelectMany(Answers), a => Assert.Equal(201, a.Status));
        }
        foreach (var production in new[] { "prod_east", "prod_west" }) // 3 files from each batch of each round
            Assert.Equal(30, (await Client.GetJson($"/api/gallery/images?production_id={production}&limit=1")).Long("total"));
    }
}
