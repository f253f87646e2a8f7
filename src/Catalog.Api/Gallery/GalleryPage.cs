using Microsoft.Extensions.FileProviders;

namespace Catalog.Api.Gallery;

/// <summary>
/// The gallery page at <c>/</c>: static files (<c>index.html</c>, <c>/ui/gallery.js</c>, <c>/ui/gallery.css</c>) embedded in
/// the assembly, a client of the public API only — every list, detail, history, search, media and export it shows
/// comes from the same endpoints any client calls. The page carries no data, so it is served to anyone; the API
/// behind it still asks for keys where the service does (the page asks for one and keeps it for the tab).
/// </summary>
public static class GalleryPage
{
    private static readonly EmbeddedFileProvider Files = new(typeof(GalleryPage).Assembly, "Catalog.Api.Gallery");

    /// <summary>What the page may load: only this origin (no CDN), media also as blob: URLs (fetched with a key).</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    /// <summary>Serves <c>/ui/*</c> (revalidated on every load, so a new build's page is picked up).</summary>
    public static void UseGalleryFiles(this IApplicationBuilder app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = Files,
        RequestPath = "/ui",
        OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
    });

    public static IResult Index(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        return Results.Stream(Files.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8");
    }
}
