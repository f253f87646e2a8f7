using System.Net;
using System.Security.Cryptography;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Admin;

/// <summary>
/// The purge's blob sweep against uploads of the very bytes it is about to remove: bytes nothing names (an asset
/// purged earlier, a refused upload), aged past any grace period, uploaded again under new names while purges run.
/// Every upload answered 201 must keep its bytes, round after round.
/// </summary>
public sealed class PurgingWhileUploading(CatalogApp app) : ApiTest(app)
{
    private const int Rounds = 12;
    private const int FilesPerRound = 6;
    private const int PurgesPerRound = 3;

    [Fact]
    public async Task no_acknowledged_upload_loses_its_bytes()
    {
        var blobs = App.Services.GetRequiredService<IBlobStore>();
        var acknowledged = new List<(long Id, string Sha256)>();
        for (var round = 0; round < Rounds; round++)
        {
            var files = Enumerable.Range(0, FilesPerRound).Select(i => TestMedia.Png(width: 96, seed: round * FilesPerRound + i)).ToList();
            foreach (var bytes in files) await StoreOrphanAsync(blobs, bytes);

            var uploads = files.Select((bytes, i) => Client.Register("images", bytes, $"race-{round}-{i}.png",
                new Dictionary<string, string> { ["image_type"] = "generated" })).ToList();
            var purges = Enumerable.Range(0, PurgesPerRound).Select(_ => Client.SendJson(HttpMethod.Post, "/api/admin/purge?all=true", null)).ToList();
            await Task.WhenAll(uploads.Concat(purges));

            foreach (var purge in purges) await (await purge).Json(HttpStatusCode.OK);
            foreach (var upload in uploads)
            {
                var image = await (await upload).Json(HttpStatusCode.Created);
                acknowledged.Add((image.Long("id"), image.Str("sha256")));
            }
        }

        Assert.Equal(Rounds * FilesPerRound, acknowledged.Count);
        foreach (var (id, sha256) in acknowledged)
        {
            var media = await Client.GetAsync($"/api/media/image/{id}");
            Assert.True(media.StatusCode == HttpStatusCode.OK, $"image {id}: {(int)media.StatusCode} {await media.Content.ReadAsStringAsync()}");
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await media.Content.ReadAsByteArrayAsync())));
        }
    }

    /// <summary>Bytes in the store that no asset names, written two hours ago.</summary>
    private async Task StoreOrphanAsync(IBlobStore blobs, byte[] bytes)
    {
        await using var staged = await blobs.StageAsync(new MemoryStream(bytes), long.MaxValue, CancellationToken.None);
        await staged.CommitAsync(CancellationToken.None);
        var path = Path.Combine(App.BlobDirectory, staged.Sha256[..2], staged.Sha256);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
    }
}
