using Catalog.Api.Assets;
using Catalog.Api.Productions;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>
/// A production and its live assets, grouped by kind, newest first. With <c>as_of</c> (ISO-8601) or
/// <c>version</c> (of the production's stream), as it and its assets were then.
/// </summary>
public sealed record ProductionDetailResponse(
    ProductionView Production,
    IReadOnlyList<ImageResponse> Images,
    IReadOnlyList<VideoResponse> Videos,
    IReadOnlyList<AudioResponse> Audio);

public static class GetProductionEndpoint
{
    [WolverineGet("/api/gallery/production/{id}"), Tags("Gallery"), EndpointSummary("A production with its assets grouped by kind")]
    [ProducesResponseType<ProductionDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static async Task<ProductionDetailResponse> Get(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version,
        IQuerySession session, CatalogReads reads, CancellationToken ct)
    {
        if (PastState.Asked(asOf, version)) return await PastState.ProductionAsync(session, reads, id, asOf, version, ct);

        var production = await session.LoadAsync<ProductionView>(id, ct)
                         ?? throw DomainException.NotFound($"There is no production '{id}'.");

        var images = await AssetsOf<ImageMetadata>(session, id, ct);
        var videos = await AssetsOf<VideoMetadata>(session, id, ct);
        var audio = await AssetsOf<AudioMetadata>(session, id, ct);
        return new ProductionDetailResponse(
            production,
            images.Select(v => AssetResponses.Image(v, null)).ToList(),
            videos.Select(v => AssetResponses.Video(v, null)).ToList(),
            audio.Select(v => AssetResponses.Audio(v, null)).ToList());
    }

    private static Task<IReadOnlyList<AssetView<TMetadata>>> AssetsOf<TMetadata>(IQuerySession session, string productionId, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        session.Query<AssetView<TMetadata>>()
            .Where(x => x.ProductionId == productionId)
            .OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            .ToListAsync(ct);
}
