using Catalog.Api.Http;
using Catalog.Infrastructure;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Access;

/// <summary>
/// No change from another site: a web page the operator opens must not be able to drive the catalog (CSRF). A
/// state-changing request (anything but GET, HEAD, OPTIONS) is refused when
/// <list type="bullet">
/// <item>its <c>Origin</c> is another site's and not listed in <c>Catalog:CorsOrigins</c> — 403, or</item>
/// <item>its body is not of a type its endpoint documents (JSON commands take <c>application/json</c>, uploads
/// <c>multipart/form-data</c>, an import the file's bytes; an endpoint without a body takes none) — 415.</item>
/// </list>
/// The listed origins get CORS answers (preflight included) from ASP.NET Core's CORS middleware.
/// </summary>
public static class CrossSiteRequests
{
    public const string CorsPolicy = "catalog-origins";

    /// <summary>CORS answers for the origins of <c>Catalog:CorsOrigins</c> (none by default): any header, any method.</summary>
    public static IServiceCollection AddCatalogCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<CatalogSettings>((cors, settings) =>
            cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins([.. settings.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders(Callers.CorrelationHeader, HeaderNames.ETag, HeaderNames.Location, HeaderNames.ContentDisposition)));
        return services;
    }

    public static IApplicationBuilder UseCrossSiteRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        var settings = context.RequestServices.GetRequiredService<CatalogSettings>();
        if (ForeignOrigin(context.Request, settings) is { } origin)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"A page from {origin} may not change the catalog. To let a web application of yours call the API, list its origin in Catalog:CorsOrigins.");
            return;
        }
        var accepts = endpoint.Metadata.GetMetadata<AcceptsAttribute>() is { } own
            ? (own.ContentTypes, false)
            : endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { } bound ? (bound.ContentTypes, bound.IsOptional) : ((IReadOnlyList<string>)[], false);
        if (BodyProblem(context.Request, accepts.Item1, accepts.Item2) is { } problem)
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", problem);
            return;
        }
        await next(context);
    });

    /// <summary>The request's Origin when it is another site's that is not listed; null for the same origin, a listed one, or none.</summary>
    private static string? ForeignOrigin(HttpRequest request, CatalogSettings settings)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return null;
        return settings.CorsOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase) ? null : origin;
    }

    /// <summary>What is wrong with the request's body for an endpoint that takes <paramref name="types"/> (or, when none, no body).</summary>
    private static string? BodyProblem(HttpRequest request, IReadOnlyList<string> types, bool optional)
    {
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        var given = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.ToString() : null;
        if (types.Count == 0)
        {
            return hasBody || request.ContentType is { Length: > 0 }
                ? $"This endpoint takes no body; send none (not '{request.ContentType ?? "a body"}')."
                : null;
        }
        if (given is null && !hasBody && optional) return null;
        return given is not null && types.Any(t => string.Equals(t, given, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"Send the body with Content-Type: {string.Join(" or ", types)} (not '{request.ContentType ?? "none"}').";
    }

    private static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
