using Catalog.Api.Access;
using Catalog.Api.Browsing;
using Catalog.Api.Http;
using Catalog.Api.Threads;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Access;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Media;

/// <summary>
/// The media endpoints' everyday request answered before the rest of the pipeline, as a static-file middleware answers
/// its files: a whole asset's bytes (<c>GET</c> or <c>HEAD /api/media/{kind}/{id}</c>), with no query, no <c>Range</c>,
/// no condition (<c>If-*</c>), no <c>Origin</c>, from a caller who may read (anonymously, or with a key the key store
/// knows), for an asset that is there. A gallery loads dozens of these per screen; routing, the authorization
/// policies and the result types cost more than reading a small file (BENCHMARKS.md, issue 15). The request is checked
/// by the same rules the pipeline applies (<see cref="RequestGuards.Problem"/>, <see cref="AccessPolicies.MayReadAnonymously"/>,
/// <see cref="ApiKeyStore.Authenticate"/>), the asset found by the same read (<see cref="IGallery.OpenMediaAsync{TMetadata}"/>),
/// and answered with the headers <see cref="ServeMediaEndpoint"/> gives. Anything else — a range, a revalidation, a
/// cross-origin request, an unknown key, a bad id, a missing asset, a failure — goes on through the whole pipeline to
/// <see cref="ServeMediaEndpoint"/>, which answers it as it always has.
/// </summary>
public static class MediaFastLane
{
    private const string Prefix = "/api/media";
    private const int ChunkBytes = 64 * 1024;

    /// <summary>One kind's <see cref="IGallery.OpenMediaAsync{TMetadata}"/>, by the kind's name in the path.</summary>
    private delegate Task<MediaContent> OpenMedia(IGallery gallery, long id, CancellationToken ct);

    /// <summary>A request the lane answers: which kind's bytes, and the asset's id.</summary>
    private readonly record struct Asking(OpenMedia Open, long Id);

    /// <summary>The kinds by their names in the path, looked up from the path's characters without making a string.</summary>
    private static readonly Dictionary<string, OpenMedia>.AlternateLookup<ReadOnlySpan<char>> Kinds =
        AssetKinds.All.ToDictionary(k => k.Name, k => k.Accept(new Opener()), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static IApplicationBuilder UseMediaFastLane(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<CatalogSettings>();
        var keys = app.ApplicationServices.GetRequiredService<ApiKeyStore>();
        var gallery = new Lazy<IGallery>(() => app.ApplicationServices.GetRequiredService<IGallery>()); // a singleton: no request scope is made
        return app.Use(async (context, next) =>
        {
            var media = Asked(context.Request) is { } asked && MayRead(context, settings, keys) ? await TryOpenAsync(context, gallery.Value, asked) : null;
            if (media is null)
            {
                await next(context);
                return;
            }
            await WriteAsync(context, media);
        });
    }

    /// <summary>Which asset a request asks for whole, when it is one the lane answers.</summary>
    private static Asking? Asked(HttpRequest request)
    {
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || request.QueryString.HasValue ||
            !request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal, out var rest) || rest.Value is not { Length: > 1 } tail)
            return null;
        var slash = tail.IndexOf('/', 1);
        if (slash < 0 || !Kinds.TryGetValue(tail.AsSpan(1, slash - 1), out var open) ||
            !Routes.TryAssetId(tail.AsSpan(slash + 1), out var id))
            return null;
        var headers = request.Headers;
        if (headers.Range.Count > 0 || headers.IfRange.Count > 0 || headers.IfMatch.Count > 0 || headers.IfNoneMatch.Count > 0 ||
            headers.IfModifiedSince.Count > 0 || headers.IfUnmodifiedSince.Count > 0 || headers.Origin.Count > 0 ||
            RequestGuards.Problem(request) is not null)
            return null;
        return new Asking(open, id);
    }

    private static bool MayRead(HttpContext context, CatalogSettings settings, ApiKeyStore keys) =>
        ApiKeyAuthentication.Presented(context.Request) is { } presented
            ? keys.Authenticate(presented) is not null
            : AccessPolicies.MayReadAnonymously(context, settings.AnonymousReads);

    /// <summary>The asset's bytes, or null for the pipeline to answer (not found, a failure: it says which).</summary>
    private static async Task<MediaContent?> TryOpenAsync(HttpContext context, IGallery gallery, Asking asked)
    {
        try
        {
            return await asked.Open(gallery, asked.Id, context.RequestAborted);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// 200 with the whole file, its headers as <see cref="ServeMediaEndpoint"/> and <c>Results.Stream</c> write them; the
    /// bytes read straight into the response's buffers, a chunk at a time (memory stays flat whatever the file's size).
    /// </summary>
    private static async Task WriteAsync(HttpContext context, MediaContent media)
    {
        await using var content = media.Content;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = media.MimeType;
        response.ContentLength = content.Length;
        var headers = response.Headers;
        headers.AcceptRanges = "bytes";
        headers.ETag = ServeMediaEndpoint.EntityTag(media).ToString();
        headers.LastModified = HeaderUtilities.FormatDate(media.LastModified);
        headers[Callers.CorrelationHeader] = Callers.CorrelationId(context);
        ServeMediaEndpoint.Label(headers, media);
        if (HttpMethods.IsHead(context.Request.Method)) return;

        await response.StartAsync(context.RequestAborted); // the headers go into the response's buffers first, so the bytes are read in beside them
        // A file of one chunk is answered on the thread its request arrived on; a larger one is copied on the thread pool, so
        // that one connection's many reads never hold a socket thread from the others (Threads/SocketThreads.cs).
        if (content.Length <= ChunkBytes) await CopyAsync(context, media, content);
        else await SocketThreads.Run(() => CopyAsync(context, media, content));
    }

    private static async Task CopyAsync(HttpContext context, MediaContent media, Stream content)
    {
        var ct = context.RequestAborted;
        var writer = context.Response.BodyWriter;
        for (var left = content.Length; left > 0;)
        {
            var memory = writer.GetMemory((int)Math.Min(left, ChunkBytes));
            var read = await content.ReadAsync(memory[..(int)Math.Min(left, memory.Length)], ct);
            if (read == 0) throw new IOException($"The blob {media.Sha256} ended {left:N0} bytes short of its length.");
            writer.Advance(read);
            left -= read;
            if ((await writer.FlushAsync(ct)).IsCompleted) return; // the client went away
        }
    }

    private sealed class Opener : IAssetKindVisitor<OpenMedia>
    {
        public OpenMedia Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            (gallery, id, ct) => gallery.OpenMediaAsync<TMetadata>(id, ct);
    }
}
