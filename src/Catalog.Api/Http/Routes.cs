using Catalog.Domain.Assets;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>Route parameters and the OpenAPI answers the slices share.</summary>
public static class Routes
{
    /// <summary>Asset ids in routes are the seed's integers; anything else is a 400, not a 404.</summary>
    public static long AssetId<TMetadata>(string raw) where TMetadata : IAssetMetadata =>
        TryAssetId(raw, out var id)
            ? id
            : throw ApiProblem.BadRequest($"'{raw}' is not the id of {AssetKinds.Of<TMetadata>().Article}: ids are positive integers.");

    /// <summary>Whether <paramref name="raw"/> is an asset id as routes take them: digits only, above zero.</summary>
    public static bool TryAssetId(ReadOnlySpan<char> raw, out long id) =>
        long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;

    /// <summary>The ProblemDetails answers an endpoint may give, in the OpenAPI document.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses) route.Produces<ProblemDetails>(status, "application/problem+json");
        return route;
    }

    /// <summary>A command on an existing production or asset: 400, 404, 409, 422.</summary>
    public static RouteHandlerBuilder CommandProblems(this RouteHandlerBuilder route) => route.Problems(400, 404, 409, 422);
}
