using Catalog.Api.Assets;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's browsing lists: metadata only (never bytes), newest first (created_at, then id, both
/// descending), filtered by the kind's type and/or production, one page with the total. Items carry
/// <c>production_id</c> (their <c>production</c> link is null here; the detail endpoints fill it).
/// </summary>
public static class ListAssetsEndpoint
{
    [WolverineGet("/api/gallery/images"), Tags("Gallery"), EndpointSummary("Browse images (metadata only)")]
    [ProducesResponseType<Page<ImageResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<IResult> Images(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        List<ImageMetadata>(type, productionId, limit, offset, reads, ct);

    [WolverineGet("/api/gallery/videos"), Tags("Gallery"), EndpointSummary("Browse videos (metadata only)")]
    [ProducesResponseType<Page<VideoResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<IResult> Videos(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        List<VideoMetadata>(type, productionId, limit, offset, reads, ct);

    [WolverineGet("/api/gallery/audio"), Tags("Gallery"), EndpointSummary("Browse audio tracks (metadata only)")]
    [ProducesResponseType<Page<AudioResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<IResult> Audio(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        List<AudioMetadata>(type, productionId, limit, offset, reads, ct);

    private static async Task<IResult> List<TMetadata>(string? type, string? productionId,
        int? limit, int? offset, CatalogReads reads, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var (take, skip) = Paging.Read(limit, offset);
        var selection = new ViewSelection(QuerySchema.Tables.Assets(TMetadata.Kind), QuerySchema.Columns.Type,
            Paging.Type<TMetadata>(type), string.IsNullOrEmpty(productionId) ? null : productionId);

        // The views are stored as the items are shown (see ListPages): the page is their JSON side by side.
        return Results.Text(await ListPages.ReadJsonAsync(reads, selection, take, skip, ct), "application/json; charset=utf-8");
    }
}
