using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Api.Browsing;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Media;

/// <summary>
/// The seed's media serving: the exact bytes, streamed from the blob store — or, in portable mode, from the file's
/// BLOB or the file beside it (<see cref="IGallery"/>) — so memory does not grow with the file; with Content-Type and Content-Length, the sha256 as ETag (304 on If-None-Match), Last-Modified,
/// byte ranges (206 / 416) and nosniff. A plain whole-file request is answered before routing by <see cref="MediaFastLane"/>,
/// with the same headers; this endpoint answers the rest.
/// </summary>
public static class ServeMediaEndpoint
{
    public static async Task<IResult> Get<TMetadata>(string id, IGallery gallery, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var media = await gallery.OpenMediaAsync<TMetadata>(Routes.AssetId<TMetadata>(id), ct);
        Label(context.Response.Headers, media);
        return Results.Stream(media.Content, media.MimeType,
            lastModified: media.LastModified,
            entityTag: EntityTag(media),
            enableRangeProcessing: true);
    }

    /// <summary>
    /// What every media response says of its bytes beside their type: nosniff, and the asset's file name (inline). An SVG
    /// drawing, a document that could carry script, is served sandboxed (no script, nothing loaded from elsewhere), so
    /// opening one from the catalog runs nothing in the catalog's origin.
    /// </summary>
    public static void Label(IHeaderDictionary headers, MediaContent media)
    {
        headers.XContentTypeOptions = "nosniff";
        if (media.MimeType == "image/svg+xml") headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
        var disposition = new ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(media.Filename);
        headers.ContentDisposition = disposition.ToString();
    }

    public static EntityTagHeaderValue EntityTag(MediaContent media) => new($"\"{media.Sha256}\"");
}
