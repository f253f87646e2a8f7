using Catalog.Api.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>The seed's asset details: metadata (never bytes) and the production link.</summary>
public static class GetAssetEndpoint
{
    [WolverineGet("/api/gallery/image/{id}"), Tags("Gallery"), EndpointSummary("Image metadata + production link")]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetImage(string id, IQuerySession session, CancellationToken ct) => Get<ImageMetadata>(id, session, ct);

    [WolverineGet("/api/gallery/video/{id}"), Tags("Gallery"), EndpointSummary("Video metadata + production link")]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetVideo(string id, IQuerySession session, CancellationToken ct) => Get<VideoMetadata>(id, session, ct);

    [WolverineGet("/api/gallery/audio/{id}"), Tags("Gallery"), EndpointSummary("Audio metadata + production link")]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<object> GetAudio(string id, IQuerySession session, CancellationToken ct) => Get<AudioMetadata>(id, session, ct);

    private static async Task<object> Get<TMetadata>(string id, IQuerySession session, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        return await AssetResponses.LoadAsync<TMetadata>(session, assetId, ct)
               ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {assetId}.");
    }
}
