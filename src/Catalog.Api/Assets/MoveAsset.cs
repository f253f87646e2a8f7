using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Assets;

public sealed record MoveAssetRequest(string ProductionId);

/// <summary>Moving an asset into a production (its <c>production_id</c>), or detaching it from the one it is in.</summary>
public static class MoveAssetEndpoint
{
    [WolverinePut("/api/images/{id}/production"), Tags("Images"), EndpointSummary("Move an image into a production")]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> MoveImage(string id, MoveAssetRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Move<ImageMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    [WolverinePut("/api/videos/{id}/production"), Tags("Videos"), EndpointSummary("Move a video into a production")]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> MoveVideo(string id, MoveAssetRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Move<VideoMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    [WolverinePut("/api/audio/{id}/production"), Tags("Audio"), EndpointSummary("Move an audio track into a production")]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> MoveAudio(string id, MoveAssetRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Move<AudioMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    [WolverineDelete("/api/images/{id}/production"), Tags("Images"), EndpointSummary("Detach an image from its production")]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> DetachImage(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Detach<ImageMetadata>(id, expectedVersion, session, caller, clock, ct);

    [WolverineDelete("/api/videos/{id}/production"), Tags("Videos"), EndpointSummary("Detach a video from its production")]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> DetachVideo(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Detach<VideoMetadata>(id, expectedVersion, session, caller, clock, ct);

    [WolverineDelete("/api/audio/{id}/production"), Tags("Audio"), EndpointSummary("Detach an audio track from its production")]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> DetachAudio(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Detach<AudioMetadata>(id, expectedVersion, session, caller, clock, ct);

    private static Task<object> Move<TMetadata>(string id, MoveAssetRequest request, long? expectedVersion,
        IDocumentSession session, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        AssetCommand.Run<TMetadata>(session, id, expectedVersion, ct, async (state, assetId) =>
        {
            if (string.IsNullOrWhiteSpace(request.ProductionId))
                throw DomainException.Invalid("production_id is required; to take the asset out of its production, DELETE …/production.");
            // Lock the target production's stream until commit, so it cannot be deleted meanwhile.
            var production = await session.Events.FetchForExclusiveWriting<Production>(StreamKeys.Production(request.ProductionId), ct);
            return AssetDecisions.MoveToProduction(state, assetId, request.ProductionId, production.Aggregate, caller.Actor, clock.GetUtcNow());
        });

    private static Task<object> Detach<TMetadata>(string id, long? expectedVersion,
        IDocumentSession session, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        AssetCommand.Run<TMetadata>(session, id, expectedVersion, ct, (state, assetId) =>
            Task.FromResult<object>(AssetDecisions.DetachFromProduction(state, assetId, caller.Actor, clock.GetUtcNow())));
}
