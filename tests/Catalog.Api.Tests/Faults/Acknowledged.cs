using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Npgsql;

namespace Catalog.Api.Tests.Faults;

/// <summary>
/// A stream of image uploads against a service under trouble, and what must hold after it: every upload answered 201
/// comes back byte for byte, no event names bytes the blob store does not have, no staging is left behind.
/// </summary>
public sealed class Acknowledged
{
    private readonly ConcurrentBag<(long Id, string Sha256)> _uploads = [];
    private readonly ConcurrentBag<string> _answers = [];

    public int Count => _uploads.Count;
    public IReadOnlyCollection<string> Answers => _answers;

    /// <summary>Uploads distinct images, <paramref name="workers"/> at a time, until stopped; a refused or broken request is noted, not thrown.</summary>
    public Task UploadUntilAsync(Func<HttpClient> client, CancellationToken stop, int workers = 2, int size = 256) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var bytes = TestMedia.NoisyPng(size, size, seed: worker * 100_000 + i);
                try
                {
                    using var response = await client().Register("images", bytes, $"w{worker}-{i}.png",
                        new Dictionary<string, string> { ["image_type"] = "generated" });
                    _answers.Add(((int)response.StatusCode).ToString());
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var image = await response.Json(HttpStatusCode.Created);
                        Assert.Equal(TestMedia.Sha256(bytes), image.Str("sha256"));
                        _uploads.Add((image.Long("id"), image.Str("sha256")));
                    }
                }
                catch (HttpRequestException)
                {
                    _answers.Add("no answer"); // the service went away mid-request: not acknowledged
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })));

    /// <summary>Every acknowledged upload, read back through the service, is the bytes that were sent.</summary>
    public async Task AllComeBackAsync(HttpClient client)
    {
        foreach (var (id, sha256) in _uploads)
        {
            using var media = await client.GetAsync($"/api/media/image/{id}");
            Assert.True(media.StatusCode == HttpStatusCode.OK, $"image {id}: {(int)media.StatusCode} {await media.Content.ReadAsStringAsync()}");
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await media.Content.ReadAsByteArrayAsync())));
        }
    }

    /// <summary>The bytes every registration names, from the event table itself — but those of assets purged since (their bytes may go).</summary>
    public static async Task<List<string>> NamedBlobsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select r.data -> 'content' ->> 'sha256' from catalog.mt_events r
             where r.type like '%.registered'
               and not exists (select 1 from catalog.mt_events p where p.stream_id = r.stream_id and p.type like '%.purged')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var named = new List<string>();
        while (await reader.ReadAsync()) named.Add(reader.GetString(0));
        return named;
    }

    /// <summary>No event names a blob that is missing from the store under <paramref name="blobDirectory"/>.</summary>
    public static async Task NoEventNamesAMissingBlobAsync(string connectionString, string blobDirectory)
    {
        var missing = (await NamedBlobsAsync(connectionString)).Where(sha => !File.Exists(Path.Combine(blobDirectory, sha[..2], sha))).ToList();
        Assert.True(missing.Count == 0, $"events name {missing.Count} missing blob(s): {string.Join(", ", missing.Take(3))}");
    }

    /// <summary>The staged bytes in the store's staging folder (its lock files aside).</summary>
    public static string[] Staging(string blobDirectory) =>
        Directory.Exists(Path.Combine(blobDirectory, "tmp"))
            ? Directory.GetFiles(Path.Combine(blobDirectory, "tmp")).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToArray()
            : [];

    /// <summary>Polls until the condition holds (what the test waits on is another process's progress, not time).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(50);
        }
    }
}
