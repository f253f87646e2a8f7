using Catalog.Api.Access;
using Catalog.Api.Admin;
using Catalog.Api.Assets;
using Catalog.Api.Browsing;
using Catalog.Api.Exporting;
using Catalog.Api.Gallery;
using Catalog.Api.History;
using Catalog.Api.Hosting;
using Catalog.Api.Http;
using Catalog.Api.Importing;
using Catalog.Importer;
using Catalog.Api.Media;
using Catalog.Api.Productions;
using Catalog.Api.Threads;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;

namespace Catalog.Api;

/// <summary>
/// Every route of the API, listed once. The slices' methods are short adapters: request → command → the write side's
/// handler (Catalog.Application), or a read of the views (Catalog.Projections). The asset routes are mapped once per
/// kind from the kinds registry (<see cref="AssetKinds"/>).
/// </summary>
public static class CatalogApi
{
    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        var api = app.MapApiEdge();

        var productions = api.MapGroup("/productions").WithTags("Productions").RequireAuthorization(AccessPolicies.Write);
        productions.MapPost("", CreateProductionEndpoint.Post).WithSummary("Create a production (status draft)").Problems(400, 409);
        productions.MapPatch("/{id}", ChangeProductionEndpoints.PatchDetails).WithSummary("Change a production's title and/or artist").CommandProblems();
        productions.MapPost("/{id}/status", ChangeProductionEndpoints.PostStatus)
            .WithSummary("Move a production along draft → generating → completed (or back to draft)").CommandProblems();
        productions.MapPut("/{id}/audio", ChangeProductionEndpoints.PutAudio).WithSummary("Attach the production's audio track").CommandProblems();
        productions.MapPut("/{id}/storyboard", ChangeProductionEndpoints.PutStoryboard).WithSummary("Replace the storyboard JSON")
            .WithMetadata(new AcceptsJsonDocumentAttribute()).CommandProblems().Problems(413, 415);
        productions.MapPut("/{id}/settings", ChangeProductionEndpoints.PutSettings).WithSummary("Replace the settings JSON")
            .WithMetadata(new AcceptsJsonDocumentAttribute()).CommandProblems().Problems(413, 415);
        productions.MapDelete("/{id}", DeleteProductionEndpoints.Delete).WithSummary("Delete a production and its assets").Problems(404, 409);
        productions.MapPost("/{id}/restore", DeleteProductionEndpoints.Restore).WithSummary("Restore a production (and its assets) from the trash")
            .Problems(404, 409);

        foreach (var kind in AssetKinds.All) kind.Accept(new AssetCommandRoutes(api));

        api.MapBrowsing();
        api.MapGroup("/gallery").WithTags("Gallery")
            .MapGet("/trash", CatalogFiguresEndpoints.Trash).WithSummary("Deleted things that can be restored").Problems(400);

        var history = api.MapGroup("/history").WithTags("History");
        history.MapGet("", GetHistoryEndpoint.Feed).WithSummary("The catalog's latest changes").Problems(400);
        history.MapGet("/productions/{id}", GetHistoryEndpoint.Production).WithSummary("A production's history").Problems(400, 404);

        var exports = api.MapGroup("/exports").WithTags("Exports");
        exports.MapPost("", StartExportEndpoint.Post).WithSummary("Start an export of the portable assets.db").Problems(400, 422)
            .RequireAuthorization(AccessPolicies.Write);
        exports.MapGet("", GetExportEndpoints.List).WithSummary("The latest exports, newest first");
        exports.MapGet("/{id}", GetExportEndpoints.Get).WithSummary("An export's status, progress, size and sha256").Problems(404);
        exports.MapGet("/{id}/file", GetExportEndpoints.File).WithSummary("Download a finished export")
            .WithMetadata(new ProducesMediaAttribute()).Problems(409, 410);

        var imports = api.MapGroup("/imports").WithTags("Imports");
        imports.MapPost("", StartImportEndpoint.Post).WithSummary("Import an assets.db (the request body is the file)")
            .WithMetadata(new AcceptsFileAttribute("An assets.db in the seed's schema with its binaries inline (a portable export).", StartImportEndpoint.ContentTypes))
            .Problems(400, 413, 415).RequireAuthorization(AccessPolicies.Admin);
        imports.MapPost("/folders", LocalImportEndpoints.Folder).WithSummary("Import a folder of this machine (what catalog import-fs hands the service)")
            .Produces(StatusCodes.Status200OK, contentType: ImportLine.ContentType).Problems(400, 404).RequireAuthorization(AccessPolicies.Operator);
        imports.MapPost("/databases", LocalImportEndpoints.Database).WithSummary("Import an assets.db of this machine where it lies (what catalog import-db hands the service)")
            .Produces(StatusCodes.Status200OK, contentType: ImportLine.ContentType).Problems(400, 404).RequireAuthorization(AccessPolicies.Operator);
        imports.MapGet("", GetImportEndpoints.List).WithSummary("The latest imports, newest first");
        imports.MapGet("/{id}", GetImportEndpoints.Get).WithSummary("An import's status, progress and summary").Problems(404);

        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(AccessPolicies.Admin);
        admin.MapPost("/purge", PurgeTrashEndpoint.Post).WithSummary("Empty the trash");
        admin.MapPost("/rebuild", RebuildViewsEndpoint.Post).WithSummary("Rebuild the views from the events");

        var keys = api.MapGroup("/keys").WithTags("Keys").RequireAuthorization(AccessPolicies.Admin);
        keys.MapGet("", KeyEndpoints.List).WithSummary("Every API key (names, roles; never the keys), revoked ones too");
        keys.MapPost("", KeyEndpoints.Post).WithSummary("Make an API key: the key is in this answer only").Problems(400, 409);
        keys.MapDelete("/{name}", KeyEndpoints.Revoke).WithSummary("Revoke an API key: refused from the next request on").Problems(404);
        return app;
    }

    /// <summary>
    /// What every request passes through — problems, guards, correlation ids, Swagger, CORS, keys and roles — then the
    /// gallery page at the root and the health checks; <paramref name="first"/> runs before routing (portable mode refuses writes there).
    /// Answers the <c>/api</c> group.
    /// </summary>
    public static RouteGroupBuilder MapApiEdge(this WebApplication app, Action<IApplicationBuilder>? first = null)
    {
        app.UseMediaFastLane();
        // Everything the lane does not answer leaves the socket thread here (Threads/SocketThreads.cs).
        app.Use((context, next) => SocketThreads.Run(() => next(context)));
        WritesInFlight.Use(app); // the renditions' queue waits for them (Media/WritesInFlight.cs)
        app.UseRoutingWithHead(beforeRouting =>
        {
            beforeRouting.UseExceptionHandler();
            beforeRouting.UseStatusCodePages();
            beforeRouting.UseRequestGuards();
            beforeRouting.UseCorrelationIds();
            first?.Invoke(beforeRouting);
            beforeRouting.UseGalleryFiles();
            beforeRouting.UseSwagger();
            beforeRouting.UseSwaggerUI(ui => ui.DocumentTitle = "Asset catalog API");
        });
        app.UseCors(CrossSiteRequests.CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCrossSiteRefusal();
        app.MapGet("/", GalleryPage.Index).ExcludeFromDescription().AllowAnonymous();
        app.MapCatalogHealthChecks();
        return app.MapGroup("/api");
    }

    /// <summary>
    /// The seed's browsing routes — lists, details, search, stats and bytes — read through <see cref="IGallery"/>: the
    /// catalog's views, or a portable file in portable mode.
    /// </summary>
    public static RouteGroupBuilder MapBrowsing(this RouteGroupBuilder api)
    {
        var gallery = api.MapGroup("/gallery").WithTags("Gallery");
        gallery.MapGet("/productions", ListEndpoints.Productions).WithSummary("Browse productions")
            .Produces<Page<ProductionView>>().Problems(400);
        gallery.MapGet("/production/{id}", GetDetailEndpoints.Production).WithSummary("A production with its assets grouped by kind")
            .Produces<ProductionDetail>().Problems(400, 404);
        gallery.MapGet("/search", SearchEndpoint.Get).WithSummary("Search assets (prompt, name, their production's title and artist) and productions")
            .Produces<SearchResponse>().Problems(400);
        gallery.MapGet("/stats", CatalogFiguresEndpoints.Stats).WithSummary("Counts, storage, recent activity");
        foreach (var kind in AssetKinds.All) kind.Accept(new AssetBrowsingRoutes(api));
        return api;
    }

    /// <summary>One kind's commands under <c>/api/{table}</c>, and its history.</summary>
    private sealed class AssetCommandRoutes(RouteGroupBuilder api) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = AssetKinds.Of<TMetadata>();
            var assets = api.MapGroup($"/{kind.Table}").WithTags(kind.Title).RequireAuthorization(AccessPolicies.Write);
            assets.MapPost("", RegisterAssetEndpoint.Post<TMetadata>).WithSummary($"Register {kind.Article} (multipart upload)")
                .WithMetadata(new UploadFormAttribute(typeof(TMetadata))).Problems(400, 409, 413, 415, 422);
            assets.MapPost("/batch", RegisterAssetsEndpoint.Post<TMetadata>)
                .WithSummary($"Register many {kind.Table} (multipart upload of up to {RegisterAssetsEndpoint.MaxFiles:N0} files, each answered on its own)")
                .WithMetadata(new UploadFormAttribute(typeof(TMetadata), batch: true)).Produces<BatchRegistration>().Problems(400, 413, 415);
            assets.MapPatch("/{id}", ChangeAssetEndpoints.Correct<TMetadata>).WithSummary($"Correct {kind.Article}'s metadata (JSON merge patch)")
                .WithMetadata(new AcceptsJsonDocumentAttribute("application/json", "application/merge-patch+json")).CommandProblems().Problems(415);
            assets.MapPut("/{id}/production", ChangeAssetEndpoints.Move<TMetadata>).WithSummary($"Move {kind.Article} into a production").CommandProblems();
            assets.MapDelete("/{id}/production", ChangeAssetEndpoints.Detach<TMetadata>).WithSummary($"Detach {kind.Article} from its production")
                .CommandProblems();
            assets.MapDelete("/{id}", ChangeAssetEndpoints.Delete<TMetadata>).WithSummary($"Delete {kind.Article}").CommandProblems();
            assets.MapPost("/{id}/restore", ChangeAssetEndpoints.Restore<TMetadata>).WithSummary($"Restore {kind.Article} from the trash")
                .CommandProblems();

            api.MapGet($"/history/{kind.Table}/{{id}}", GetHistoryEndpoint.Asset<TMetadata>).WithTags("History")
                .WithSummary($"{Capitalised(kind.Name)}'s history").Problems(400, 404);
            return true;
        }
    }

    /// <summary>One kind's list, detail, bytes, thumbnail and preview.</summary>
    private sealed class AssetBrowsingRoutes(RouteGroupBuilder api) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = AssetKinds.Of<TMetadata>();
            var gallery = api.MapGroup("/gallery").WithTags("Gallery");
            gallery.MapGet($"/{kind.Table}", ListEndpoints.Assets<TMetadata>).WithSummary($"Browse {kind.Table} (metadata only)")
                .Produces<Page<AssetView<TMetadata>>>().Problems(400);
            gallery.MapGet($"/{kind.Name}/{{id}}", GetDetailEndpoints.Asset<TMetadata>).WithSummary($"{Capitalised(kind.Name)} metadata + production link")
                .Produces<AssetDetail<TMetadata>>().Problems(400, 404);
            api.MapGet($"/media/{kind.Name}/{{id}}", ServeMediaEndpoint.Get<TMetadata>).WithTags("Media").WithSummary($"The {kind.Name}'s bytes")
                .WithMetadata(new ProducesMediaAttribute());
            api.MapGet($"/media/{kind.Name}/{{id}}/thumbnail", ServeRenditionEndpoint.Thumbnail<TMetadata>).WithTags("Media")
                .WithSummary($"The {kind.Name}'s thumbnail: WebP, ≤ 256 px ({Picture(kind.Kind)})").WithMetadata(new ProducesMediaAttribute());
            api.MapGet($"/media/{kind.Name}/{{id}}/preview", ServeRenditionEndpoint.Preview<TMetadata>).WithTags("Media")
                .WithSummary($"The {kind.Name}'s preview: WebP, ≤ 1440 px ({Picture(kind.Kind)})").WithMetadata(new ProducesMediaAttribute());
            return true;
        }
    }

    private static string Picture(AssetKind kind) => kind switch
    {
        AssetKind.Image => "the image shrunk",
        AssetKind.Video => "its frame at 1 s; a placeholder SVG without ffmpeg",
        _ => "its waveform; a placeholder SVG without ffmpeg",
    };

    private static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
