using Catalog.Api.Http;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Views;
using Marten;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Media;

/// <summary>
/// The seed's media serving: the exact bytes, streamed from the blob store (memory does not grow with the
/// file), with Content-Type and Content-Length, the sha256 as ETag (304 on If-None-Match), Last-Modified,
/// byte ranges (206 / 416) and nosniff.
/// </summary>
public static class ServeMediaEndpoint
{
    public static async Task<IResult> Get<TMetadata>(string id, IQuerySession session, IBlobStore blobs, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
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
