using System.Reflection;
using Catalog.Api.Browsing;
using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Renditions;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Media;

/// <summary>
/// An asset's thumbnail (≤ 256 px) or preview (≤ 1440 px) as WebP: an image shrunk, a video's frame at 1 s, an audio
/// track's waveform (<see cref="Renditions"/>). Made once per blob and size — in the background after an upload, or
/// here on the first request that finds it missing — and served like the originals (ETag/304, Range, HEAD, Last-Modified)
/// with <c>Cache-Control: immutable</c>: an asset's bytes never change. Where nothing can picture the bytes (a video or
/// audio track without ffmpeg, bytes no decoder reads) the answer is a placeholder SVG marked
/// <c>X-Rendition: placeholder</c> and <c>no-cache</c>, so a client asks again once ffmpeg is installed.
/// </summary>
public static class ServeRenditionEndpoint
{
    public const string Immutable = "max-age=31536000, immutable";
    public const string RenditionHeader = "X-Rendition";

    public static Task<IResult> Thumbnail<TMetadata>(string id, IGallery gallery, Renditions renditions, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata => Get<TMetadata>(id, RenditionSize.Thumbnail, gallery, renditions, context, ct);

    public static Task<IResult> Preview<TMetadata>(string id, IGallery gallery, Renditions renditions, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata => Get<TMetadata>(id, RenditionSize.Preview, gallery, renditions, context, ct);

    private static async Task<IResult> Get<TMetadata>(string id, RenditionSize size, IGallery gallery, Renditions renditions, HttpContext context, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var media = await gallery.OpenMediaAsync<TMetadata>(Routes.AssetId<TMetadata>(id), ct);
        Rendition rendition;
        var handedOver = false;
        try
        {
            // The open stream goes to the making (which closes it) only when the rendition is made now.
            rendition = await renditions.GetAsync(media.Sha256, media.MimeType, size, _ =>
            {
                handedOver = true;
                return Task.FromResult(media.Content);
            }, ct);
        }
        finally
        {
            if (!handedOver) await media.Content.DisposeAsync();
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Streamed in place (BlobReadStream): for files this small, Results.File's send-file path cost twice the time.
        if (rendition.Path is not { } path || BlobReadStream.Open(path) is not { } file)
        {
            headers[RenditionHeader] = "placeholder";
            headers.CacheControl = "no-cache";
            return Results.Bytes(Placeholders.For(TMetadata.Kind), Placeholders.MimeType);
        }

        headers[RenditionHeader] = Renditions.Name(size);
        headers.CacheControl = Immutable;
        return Results.Stream(file, Rendition.MimeType, lastModified: media.LastModified,
            entityTag: new EntityTagHeaderValue($"\"{media.Sha256}-{Renditions.Name(size)}\""), enableRangeProcessing: true);
    }

    /// <summary>The SVGs served where there is no rendition, one per kind (embedded: <c>Media/Placeholders/*.svg</c>).</summary>
    public static class Placeholders
    {
        public const string MimeType = "image/svg+xml";
        private static readonly Dictionary<AssetKind, byte[]> Svgs = Enum.GetValues<AssetKind>().ToDictionary(kind => kind, Read);

        public static byte[] For(AssetKind kind) => Svgs[kind];

        private static byte[] Read(AssetKind kind)
        {
            var name = $"Catalog.Api.Media.Placeholders.{kind.Name()}.svg";
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                               ?? throw new InvalidOperationException($"The placeholder {name} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
