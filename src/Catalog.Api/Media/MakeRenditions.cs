using Catalog.Api.Threads;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Renditions;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Wolverine;

namespace Catalog.Api.Media;

public static class RenditionServices
{
    /// <summary>The one <see cref="Renditions"/> of the service, in <paramref name="directory"/>, with <c>Catalog:Ffmpeg</c>'s ffmpeg.</summary>
    public static IServiceCollection AddRenditions(this IServiceCollection services, Func<CatalogSettings, string> directory) =>
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<CatalogSettings>();
            return new Renditions(directory(settings), Renditions.FindFfmpeg(settings.Ffmpeg), sp.GetRequiredService<ILogger<Renditions>>());
        });
}

/// <summary>Make the thumbnail and preview of a blob just registered (published after an upload).</summary>
public sealed record MakeRenditions(string Sha256, string MimeType);

/// <summary>
/// Make the thumbnail of every live asset that has none: published at the service's start and after an import, so
/// what <c>import-fs</c>, <c>import-db</c> or an older build registered gets its thumbnails too (previews are made
/// on their first request).
/// </summary>
public sealed record MakeMissingThumbnails;

/// <summary>
/// The background half of the renditions (<see cref="Renditions"/>), on the "renditions" local queue, one at a time so
/// the work after a burst of uploads never takes both cores from the requests, and each after the writes running have
/// ended (<see cref="WritesInFlight"/>). A request for a rendition that is not made yet never waits for this queue: it makes
/// that one itself (or joins its making).
/// </summary>
public static class MakeRenditionsHandler
{
    public static Task Handle(MakeRenditions message, Envelope envelope, Renditions renditions, IBlobStore blobs, WritesInFlight writes, CancellationToken ct) =>
        UnlessStoppingAsync(async () =>
        {
            await writes.QuietAsync(envelope.SentAt, ct);
            await renditions.MakeAllAsync(message.Sha256, message.MimeType, Opener(blobs, message.Sha256), ct);
        }, ct);

    public static Task Handle(MakeMissingThumbnails message, Renditions renditions, IBlobStore blobs, CatalogReads reads, WritesInFlight writes,
        ILogger<MakeMissingThumbnails> logger, CancellationToken ct) =>
        UnlessStoppingAsync(() => MakeMissingAsync(renditions, blobs, reads, writes, logger, ct), ct);

    /// <summary>
    /// The work on the socket threads, ended quietly when the service stops (it cancels <paramref name="ct"/>): nothing is lost —
    /// the next start makes the thumbnails still missing, a preview is made on its first request — so a stop is not logged
    /// as a failed message.
    /// </summary>
    private static async Task UnlessStoppingAsync(Func<Task> work, CancellationToken ct)
    {
        try
        {
            await SocketThreads.Run(work);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping: see above
        }
    }

    private static async Task MakeMissingAsync(Renditions renditions, IBlobStore blobs, CatalogReads reads, WritesInFlight writes,
        ILogger<MakeMissingThumbnails> logger, CancellationToken ct)
    {
        var made = 0;
        var asked = DateTimeOffset.UtcNow;
        foreach (var kind in AssetKinds.All)
        {
            var missing = new List<(string Sha256, string MimeType)>();
            await using (var connection = await reads.OpenAsync(ct))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"select distinct data ->> 'sha256', data ->> 'mime_type' from {QuerySchema.Tables.Assets(kind.Kind)}";
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var (sha256, mimeType) = (reader.GetString(0), reader.GetString(1));
                    if (renditions.CanPicture(mimeType) && !File.Exists(renditions.PathOf(sha256, RenditionSize.Thumbnail)))
                        missing.Add((sha256, mimeType));
                }
            }
            foreach (var (sha256, mimeType) in missing)
            {
                if (!await blobs.ExistsAsync(sha256, ct)) continue;
                await writes.QuietAsync(asked, ct);
                if (!(await renditions.GetAsync(sha256, mimeType, RenditionSize.Thumbnail, Opener(blobs, sha256), ct)).IsPlaceholder) made++;
            }
        }
        if (made > 0) logger.LogInformation("Made {Count} missing thumbnails", made);
    }

    private static Func<CancellationToken, Task<Stream>> Opener(IBlobStore blobs, string sha256) => async ct =>
        await blobs.OpenReadAsync(sha256, ct) ?? throw new FileNotFoundException($"The blob {sha256} is not in the store.");

    /// <summary>Asks for the missing thumbnails once the host (and Wolverine with it) has started.</summary>
    public sealed class AtStart(IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, ILogger<MakeMissingThumbnails> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            lifetime.ApplicationStarted.Register(() => _ = PublishAsync());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

        private async Task PublishAsync()
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new MakeMissingThumbnails());
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not ask for the missing thumbnails; they are made on request");
            }
        }
    }
}
