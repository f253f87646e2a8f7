using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Api.Tests.Faults;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Api.Threads;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Renditions;
using Catalog.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// The work that must not run on the socket threads starts under <see cref="SocketThreads.Pool"/>: the request pipeline after
/// the media lane and the background queues' handlers. Seen from the blob store, which all of them reach: each call says
/// under which scheduler it was made.
/// </summary>
public sealed class KeepingWorkOffTheSocketThreads(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task an_upload_its_thumbnail_and_an_export_reach_the_blob_store_under_the_pool_scheduler()
    {
        var calls = new ConcurrentQueue<(string Call, bool UnderPool)>();
        await using var service = App.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            var real = services.Last(s => s.ServiceType == typeof(IBlobStore));
            services.AddSingleton<IBlobStore>(sp => new Recording((IBlobStore)real.ImplementationFactory!(sp), calls));
        }));
        var client = service.CreateClient().WithKey(App.TestKey);

        var image = await (await client.Register("images", TestMedia.Photo("png", 640, 360), "still.png",
            new Dictionary<string, string> { ["image_type"] = "generated" })).Json(HttpStatusCode.Created);
        var renditions = service.Services.GetRequiredService<Renditions>();
        await Acknowledged.UntilAsync(() => Task.FromResult(File.Exists(renditions.PathOf(image.Str("sha256"), RenditionSize.Thumbnail))), "the thumbnail");
        var started = await client.PostAsJsonAsync("/api/exports", new { mode = "portable" });
        var location = started.Headers.Location!.ToString();
        await Acknowledged.UntilAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>(location)).GetProperty("status").GetString() == "completed", "the export");

        // The upload (staged in the pipeline), the thumbnail's and the export's reads (their queues' handlers).
        Assert.Contains(calls, c => c.Call == nameof(IBlobStore.StageAsync));
        Assert.True(calls.Count(c => c.Call == nameof(IBlobStore.OpenReadAsync)) >= 2, string.Join(", ", calls));
        Assert.All(calls, c => Assert.True(c.UnderPool, $"{c.Call} was called off the pool scheduler"));
    }

    /// <summary>The real store, every call recorded with whether it was made under <see cref="SocketThreads.Pool"/>.</summary>
    private sealed class Recording(IBlobStore store, ConcurrentQueue<(string, bool)> calls) : IBlobStore
    {
        private T Record<T>(string call, T result)
        {
            calls.Enqueue((call, TaskScheduler.Current == SocketThreads.Pool));
            return result;
        }

        public Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken ct, bool flush = true) =>
            Record(nameof(StageAsync), store.StageAsync(content, maxBytes, ct, flush));
        public Task CommitAllAsync(IReadOnlyCollection<StagedBlob> staged, CancellationToken ct) => Record(nameof(CommitAllAsync), store.CommitAllAsync(staged, ct));
        public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct) => Record(nameof(OpenReadAsync), store.OpenReadAsync(sha256, ct));
        public Task<Stream?> OpenForServingAsync(string sha256, CancellationToken ct) => store.OpenForServingAsync(sha256, ct); // the lane: on the socket thread by design
        public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Record(nameof(ExistsAsync), store.ExistsAsync(sha256, ct));
        public IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken ct) => Record(nameof(ListAsync), store.ListAsync(ct));
        public Task DeleteAsync(string sha256, CancellationToken ct) => Record(nameof(DeleteAsync), store.DeleteAsync(sha256, ct));
        public Task<int> RemoveAbandonedStagingAsync(CancellationToken ct) => Record(nameof(RemoveAbandonedStagingAsync), store.RemoveAbandonedStagingAsync(ct));
    }
}
