using Catalog.Api.Assets;
using Catalog.Domain;
using Catalog.Api.Hosting;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Catalog.Api.Media;

/// <summary>
/// The seed's media serving: the exact bytes, streamed from the blob store (memory does not grow with the
/// file), with Content-Type and Content-Length, the sha256 as ETag (304 on If-None-Match), Last-Modified,
/// byte ranges (206 / 416) and nosniff.
/// </summary>
public static class ServeMediaEndpoint
{
    [WolverineGet("/api/media/image/{id}"), Tags("Media"), EndpointSummary("The image's bytes")]
    [ProducesMedia]
    public static Task<IResult> GetImage(string id, IQuerySession session, IBlobStore blobs, HttpContext context, CancellationToken ct) =>
        Serve<ImageMetadata>(id, session, blobs, context, ct);

    [WolverineGet("/api/media/video/{id}"), Tags("Media"), EndpointSummary("The video's bytes")]
    [ProducesMedia]
    public static Task<IResult> GetVideo(string id, IQuerySession session, IBlobStore blobs, HttpContext context, CancellationToken ct) =>
        Serve<VideoMetadata>(id, session, blobs, context, ct);

    [WolverineGet("/api/media/audio/{id}"), Tags("Media"), EndpointSummary("The audio track's bytes")]
    [ProducesMedia]
    public static Task<IResult> GetAudio(string id, IQuerySession session, IBlobStore blobs, HttpContext context, CancellationToken ct) =>
        Serve<AudioMetadata>(id, session, blobs, context, ct);

    private static async Task<IResult> Serve<TMetadata>(
        string id, IQuerySession session, IBlobStore blobs, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        var view = await session.LoadAsync<AssetView<TMetadata>>(assetId, ct)
                   ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {assetId}.");
        var content = await blobs.OpenReadAsync(view.Sha256, ct)
                      ?? throw new InvalidOperationException($"The blob {view.Sha256} of {TMetadata.Kind.Name()} {assetId} is missing from the store.");

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        var disposition = new ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(view.Filename);
        headers.ContentDisposition = disposition.ToString();

        return Results.Stream(content, view.MimeType,
            lastModified: view.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{view.Sha256}\""),
            enableRangeProcessing: true);
    }
}
