using Catalog.Api.Browsing;
using Catalog.Api.Http;
using Catalog.Api.Media;
using Catalog.Exporter.Portable;
using Catalog.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Catalog.Api.Portable;

/// <summary>
/// Portable mode: with <c>Catalog:AssetsDb</c> set, the API serves that <c>assets.db</c> — the seed's browsing routes in the
/// catalog's shapes, bytes with Range and ETag — read-only, with no PostgreSQL. Writes answer 405; what only the catalog
/// has (history, trash, exports, imports, keys) answers 404; both say how to bring the file into a catalog.
/// </summary>
public static class PortableMode
{
    /// <summary>The file to serve (<c>Catalog:AssetsDb</c>), or null for the catalog itself.</summary>
    public static string? File(IConfiguration configuration) =>
        configuration["Catalog:AssetsDb"] is { } path && !string.IsNullOrWhiteSpace(path) ? path : null;

    /// <summary>Opens and checks the file (refused: <see cref="PortableFileRefusedException"/>) and registers what the routes read.</summary>
    public static WebApplicationBuilder AddPortableCatalog(this WebApplicationBuilder builder, string path)
    {
        var file = PortableCatalog.Open(path);
        builder.Services.AddSingleton(file);
        builder.Services.AddSingleton(sp => CatalogSettings.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IGallery, PortableGallery>();
        // Thumbnails of a portable file are made on request into Catalog:RenditionDirectory, by default the system's
        // temporary folder (never beside the file), by the bytes' SHA-256: made again when the folder is cleared.
        builder.Services.AddRenditions(settings => settings.RenditionDirectorySetting ?? Path.Combine(Path.GetTempPath(), "catalog-renditions"));
        builder.Services.AddHealthChecks().AddCheck<FileCheck>("assets_db", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapPortableApi(this WebApplication app)
    {
        var file = app.Services.GetRequiredService<PortableCatalog>();
        app.Logger.LogInformation("Portable mode: serving {File} read-only; no PostgreSQL", file.FilePath);
        var import = $"'catalog import-db {file.FilePath}' (or a POST of the file to /api/imports of a running catalog) brings it into a catalog";
        var api = app.MapApiEdge(first => first.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(context.Request.Method)
                && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
                throw ApiProblem.MethodNotAllowed($"This catalog is the portable file {file.FilePath}, served read-only: nothing can be changed here. To change it, import it: {import}.", "GET, HEAD");
            return next(context);
        }));
        api.MapBrowsing();
        api.MapGet("{**rest}", (HttpContext context) => Results.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"{context.Request.Path} is not served from a portable file: {file.FilePath} keeps the seed's rows and bytes "
                        + $"(lists, details, search, stats, media), not a catalog's history, trash, exports, imports or keys. {import}, which has them."))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Ready while the file can be read.</summary>
    private sealed class FileCheck(PortableCatalog file) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                using var db = file.Connect();
                using var command = db.CreateCommand();
                command.CommandText = "select count(*) from productions";
                command.ExecuteScalar();
                return Task.FromResult(HealthCheckResult.Healthy($"{file.FilePath} answers (portable mode, read-only)."));
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"{file.FilePath} cannot be read: {e.Message}"));
            }
        }
    }
}
