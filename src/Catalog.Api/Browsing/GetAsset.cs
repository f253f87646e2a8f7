using Catalog.Api.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's asset details: metadata (never bytes) and the production link. With <c>as_of</c> (ISO-8601) or
/// <c>version</c>, the asset as it was then, rebuilt from its events.
/// </summary>
public static class GetAssetEndpoint
{
    [WolverineGet("/api/gallery/image/{id}"), Tags("Gallery"), EndpointSummary("Image metadata + production link")]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetImage(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version, IQuerySession session, CancellationToken ct) =>
        Get<ImageMetadata>(id, asOf, version, session, ct);

    [WolverineGet("/api/gallery/video/{id}"), Tags("Gallery"), EndpointSummary("Video metadata + production link")]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetVideo(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version, IQuerySession session, CancellationToken ct) =>
        Get<VideoMetadata>(id, asOf, version, session, ct);

    [WolverineGet("/api/gallery/audio/{id}"), Tags("Gallery"), EndpointSummary("Audio metadata + production link")]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetAudio(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version, IQuerySession session, CancellationToken ct) =>
        Get<AudioMetadata>(id, asOf, version, session, ct);

    private static async Task<object> Get<TMetadata>(string id, DateTimeOffset? asOf, long? version, IQuerySession session, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        if (PastState.Asked(asOf, version)) return await PastState.AssetAsync<TMetadata>(session, assetId, asOf, version, ct);
        return await AssetResponses.LoadAsync<TMetadata>(session, assetId, ct)
               ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {assetId}.");
    }
}
