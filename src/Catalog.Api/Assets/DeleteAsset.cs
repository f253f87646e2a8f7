using Catalog.Api.Hosting;
using Catalog.Domain.Assets;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Assets;

/// <summary>Deleting an asset: it leaves the views (and the export); its events, and its blob, stay.</summary>
public static class DeleteAssetEndpoint
{
    [WolverineDelete("/api/images/{id}"), Tags("Images"), EndpointSummary("Delete an image")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesCommandProblems]
    public static Task<IResult> DeleteImage(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Delete<ImageMetadata>(id, expectedVersion, session, caller, clock, ct);

    [WolverineDelete("/api/videos/{id}"), Tags("Videos"), EndpointSummary("Delete a video")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesCommandProblems]
    public static Task<IResult> DeleteVideo(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Delete<VideoMetadata>(id, expectedVersion, session, caller, clock, ct);

    [WolverineDelete("/api/audio/{id}"), Tags("Audio"), EndpointSummary("Delete an audio track")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesCommandProblems]
    public static Task<IResult> DeleteAudio(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Delete<AudioMetadata>(id, expectedVersion, session, caller, clock, ct);

    private static async Task<IResult> Delete<TMetadata>(string id, long? expectedVersion,
        IDocumentSession session, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        var stream = await Streams.Asset<TMetadata>(session, assetId, expectedVersion, ct);
        stream.AppendOne(AssetDecisions.Delete(stream.Aggregate, assetId, cascadedFromProductionId: null, caller.Actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
