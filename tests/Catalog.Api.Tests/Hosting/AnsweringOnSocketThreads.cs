using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Api.Threads;
using Catalog.Api.Tests.Faults;
using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// The service answers small media on the runtime's socket threads, so everything else must continue on the thread pool
/// wherever what it awaited completed (Threads/SocketThreads.cs).
/// </summary>
public sealed class AnsweringOnSocketThreads
{
    /// <summary>
    /// Awaits a task that a thread of its own completes, as the runtime's socket thread completes a read when completions are
    /// inline (it is not a thread-pool thread either), and says on which thread the code after the <c>await</c> ran.
    /// </summary>
    private static async Task<(int Completer, int After, bool AfterOnPool)> AwaitCompletionFromAThreadOfItsOwn()
    {
        var completion = new TaskCompletionSource(); // continuations run on the thread that completes it, as a socket's do
        var awaiting = new ManualResetEventSlim();
        var completer = new Thread(() =>
        {
            awaiting.Wait();
            Thread.Sleep(200); // the await below is registered by then
            completion.SetResult();
        }) { IsBackground = true };
        completer.Start();
        var awaited = completion.Task;
        awaiting.Set();
        await awaited;
        return (completer.ManagedThreadId, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread);
    }

    [Fact]
    public async Task work_run_through_it_continues_on_the_thread_pool_after_an_await_another_thread_completed()
    {
        var (completer, after, afterOnPool) = await SocketThreads.Run(AwaitCompletionFromAThreadOfItsOwn);

        Assert.NotEqual(completer, after);
        Assert.True(afterOnPool, "the code after the await ran off the thread pool");
    }

    [Fact]
    public async Task and_so_does_every_later_await_of_the_same_work()
    {
        var (first, second) = await SocketThreads.Run(async () => (await AwaitCompletionFromAThreadOfItsOwn(), await AwaitCompletionFromAThreadOfItsOwn()));

        Assert.True(first.AfterOnPool && second.AfterOnPool, "an await after the first one continued off the thread pool");
        Assert.NotEqual(second.Completer, second.After);
    }

    [Fact]
    public async Task without_it_the_same_await_continues_on_the_completing_thread()
    {
        // What the service guards against: the default scheduling runs the continuation where the awaited task completed.
        var (completer, after, afterOnPool) = await Task.Run(AwaitCompletionFromAThreadOfItsOwn);

        Assert.Equal(completer, after);
        Assert.False(afterOnPool);
    }

    [Fact]
    public async Task a_failure_inside_comes_out_of_it_as_it_was()
    {
        var failure = await Assert.ThrowsAsync<IOException>(() => SocketThreads.Run<int>(async () =>
        {
            await AwaitCompletionFromAThreadOfItsOwn();
            throw new IOException("the disk is full");
        }));
        Assert.Equal("the disk is full", failure.Message);
    }

    [Fact]
    public async Task the_service_as_a_user_runs_it_answers_on_its_socket_threads_and_serves_uploads_media_and_exports_whole()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_inline");
        using var data = new TempDirectory("catalog-inline-");
        await using var service = await ServiceProcess.StartAsync(database, data.Path,
            settings: new Dictionary<string, string> { ["Logging__LogLevel__Catalog.Api"] = "Information" });
        Assert.Contains("answered on the socket threads", service.Output);

        // One file of a single chunk (answered where its request arrived), one of several (copied on the thread pool).
        var small = TestMedia.Png();
        var large = TestMedia.Wav(seconds: 2);
        Assert.True(large.Length > 3 * 64 * 1024); // several of the lane's 64 KiB chunks
        var image = await UploadAsync(service.Client, "images", "image_type", small, "still.png", "image/png");
        var audio = await UploadAsync(service.Client, "audio", "audio_type", large, "tone.wav", "audio/wav");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(small, await service.Client.GetByteArrayAsync($"/api/media/image/{image}"));
            Assert.Equal(large, await service.Client.GetByteArrayAsync($"/api/media/audio/{audio}"));
        }
        var page = await service.Client.GetFromJsonAsync<JsonElement>("/api/gallery/images");
        Assert.Equal(1, page.GetProperty("total").GetInt32());

        // An export: the background queue's SQLite writes, after PostgreSQL's reads.
        var started = await service.Client.PostAsJsonAsync("/api/exports", new { mode = "portable" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        await Acknowledged.UntilAsync(async () =>
            (await service.Client.GetFromJsonAsync<JsonElement>(location)).GetProperty("status").GetString() == "completed", "the export");
        var file = data[$"export-{Guid.NewGuid():N}.db"];
        await File.WriteAllBytesAsync(file, await service.Client.GetByteArrayAsync($"{location}/file"));
        await using var db = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        Assert.Equal(small, Blob(db, "images", image));
        Assert.Equal(large, Blob(db, "audio", audio));
    }

    [Fact]
    public async Task catalog_inline_sockets_false_turns_it_off()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_inline_off");
        using var data = new TempDirectory("catalog-inline-off-");
        await using var service = await ServiceProcess.StartAsync(database, data.Path, settings: new Dictionary<string, string>
        {
            ["Logging__LogLevel__Catalog.Api"] = "Information",
            ["Catalog__InlineSockets"] = "false",
        });

        var small = TestMedia.Png();
        var image = await UploadAsync(service.Client, "images", "image_type", small, "still.png", "image/png");
        Assert.Equal(small, await service.Client.GetByteArrayAsync($"/api/media/image/{image}"));
        Assert.Contains("Catalog database:", service.Output); // the start's information is in the log …
        Assert.DoesNotContain("answered on the socket threads", service.Output); // … and this line is not
    }

    private static async Task<long> UploadAsync(HttpClient client, string table, string typeField, byte[] bytes, string filename, string mimeType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new(mimeType);
        using var form = new MultipartFormDataContent { { file, "file", filename }, { new StringContent("generated"), typeField } };
        var answer = await client.PostAsync($"/api/{table}", form);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static byte[] Blob(SqliteConnection db, string table, long id)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"select binary_data from {table} where id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (byte[])command.ExecuteScalar()!;
    }
}
