using Catalog.Infrastructure;
using Marten;

namespace Catalog.Api.Jobs;

/// <summary>What the background jobs (exports, imports) share: their Marten documents, saved one at a time, and their progress.</summary>
public static class BackgroundJobs
{
    /// <summary>This service's node: a background job runs on the node that queued it (a local queue).</summary>
    public static string ThisNode => Environment.MachineName;

    public static async Task<T?> LoadAsync<T>(IDocumentStore store, string id, CancellationToken ct) where T : notnull
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<T>(id, ct);
    }

    public static async Task<T> SaveAsync<T>(IDocumentStore store, T job, CancellationToken ct) where T : notnull
    {
        await using var session = store.LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync(ct);
        return job;
    }

    /// <summary>Runs work that reports progress, handing the latest progress to <paramref name="save"/> once a second meanwhile.</summary>
    public static async Task<T> WithProgressAsync<T>(Func<IProgress<WorkProgress>, Task<T>> work, Func<WorkProgress, Task> save, CancellationToken ct)
    {
        WorkProgress? latest = null;
        var running = work(WorkProgress.Inline(p => latest = p)); // kept on the work's threads, saved by the loop below
        while (!ct.IsCancellationRequested && await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1), ct)) != running)
        {
            if (latest is { } now) await save(now);
        }
        return await running;
    }

}
