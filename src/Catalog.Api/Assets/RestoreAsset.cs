using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Assets;

/// <summary>
/// Bringing an asset back from the trash with its id, filename, metadata and bytes. 409 when its filename was
/// taken meanwhile, or when its production is not live (restore the production: its assets come back with it).
/// </summary>
public static class RestoreAssetEndpoint
{
    [WolverinePost("/api/images/{id}/restore"), Tags("Images"), EndpointSummary("Restore an image from the trash")]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> RestoreImage(string id, IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Restore<ImageMetadata>(id, session, caller, clock, ct);

    [WolverinePost("/api/videos/{id}/restore"), Tags("Videos"), EndpointSummary("Restore a video from the trash")]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> RestoreVideo(string id, IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Restore<VideoMetadata>(id, session, caller, clock, ct);

    [WolverinePost("/api/audio/{id}/restore"), Tags("Audio"), EndpointSummary("Restore an audio track from the trash")]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> RestoreAudio(string id, IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Restore<AudioMetadata>(id, session, caller, clock, ct);

    private static async Task<object> Restore<TMetadata>(string id, IDocumentSession session, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        var stream = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(assetId), ct);
        var asset = AssetDecisions.Trashed(stream.Aggregate, assetId);

        Production? production = null;
        if (asset.ProductionId is { } productionId)
            production = (await session.Events.FetchForExclusiveWriting<Production>(StreamKeys.Production(productionId), ct)).Aggregate;
        await RequireFilenameFreeAsync(session, asset, ct);

        stream.AppendOne(AssetDecisions.Restore(stream.Aggregate, assetId, production, caller.Actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return (await AssetResponses.LoadAsync<TMetadata>(session, assetId, ct))!;
    }

    /// <summary>The filename must still be free (the unique index backs this inside the transaction).</summary>
    public static async Task RequireFilenameFreeAsync<TMetadata>(IQuerySession session, Asset<TMetadata> asset, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var holder = await session.Query<AssetView<TMetadata>>().Where(x => x.Filename == asset.Filename).Select(x => x.Id).ToListAsync(ct);
        if (holder.Count > 0)
            throw DomainException.Conflict(
                $"The filename '{asset.Filename}' of {TMetadata.Kind.Name()} {asset.AssetId} was taken meanwhile by {TMetadata.Kind.Name()} {holder[0]}; rename or delete that one first.");
    }
}
