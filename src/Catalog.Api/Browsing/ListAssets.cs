using Catalog.Api.Assets;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's browsing lists: metadata only (never bytes), newest first (created_at, then id, both
/// descending), filtered by the kind's type and/or production, one page with the total. Items carry
/// <c>production_id</c>; the production link is on the detail endpoints.
/// </summary>
public static class ListAssetsEndpoint
{
    [WolverineGet("/api/gallery/images"), Tags("Gallery"), EndpointSummary("Browse images (metadata only)")]
    [ProducesResponseType<Page<ImageResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<Page<ImageResponse>> Images(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, IQuerySession session, CancellationToken ct) =>
        List<ImageMetadata, ImageResponse>(type, productionId, limit, offset, session, v => AssetResponses.Image(v, null), ct);

    [WolverineGet("/api/gallery/videos"), Tags("Gallery"), EndpointSummary("Browse videos (metadata only)")]
    [ProducesResponseType<Page<VideoResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<Page<VideoResponse>> Videos(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, IQuerySession session, CancellationToken ct) =>
        List<VideoMetadata, VideoResponse>(type, productionId, limit, offset, session, v => AssetResponses.Video(v, null), ct);

    [WolverineGet("/api/gallery/audio"), Tags("Gallery"), EndpointSummary("Browse audio tracks (metadata only)")]
    [ProducesResponseType<Page<AudioResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static Task<Page<AudioResponse>> Audio(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, IQuerySession session, CancellationToken ct) =>
        List<AudioMetadata, AudioResponse>(type, productionId, limit, offset, session, v => AssetResponses.Audio(v, null), ct);

    private static async Task<Page<TResponse>> List<TMetadata, TResponse>(string? type, string? productionId,
        int? limit, int? offset, IQuerySession session, Func<AssetView<TMetadata>, TResponse> respond, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var (take, skip) = Paging.Read(limit, offset);
        var selection = new ViewSelection(QuerySchema.Tables.Assets(TMetadata.Kind), QuerySchema.Columns.Type,
            Paging.Type<TMetadata>(type), string.IsNullOrEmpty(productionId) ? null : productionId);

        var (items, total) = await ViewPages.ReadAsync<AssetView<TMetadata>>(session, selection, take, skip, ct);
        return new Page<TResponse>(items.Select(respond).ToList(), total, take, skip);
    }
}
