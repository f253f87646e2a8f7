using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's asset details — metadata (never bytes) and the production link — and a production with its assets. With
/// <c>as_of</c> (ISO-8601) or <c>version</c> (of the stream), as they were then, rebuilt from the events.
/// </summary>
public static class GetDetailEndpoints
{
    public static Task<IResult> Asset<TMetadata>(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version,
        IGallery gallery, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        Asked(asOf, version);
        return gallery.AssetAsync<TMetadata>(assetId, asOf, version, ct);
    }

    /// <summary>The production with a page of each kind of its assets (<c>limit</c> 1–1000, default 200, and <c>offset</c> per kind) and each kind's total.</summary>
    public static Task<IResult> Production(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version,
        int? limit, int? offset, IGallery gallery, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit ?? ProductionDetail.DefaultLimit, offset, ProductionDetail.MaxLimit);
        Asked(asOf, version);
        return gallery.ProductionAsync(id, asOf, version, take, skip, ct);
    }

    /// <summary>A 400 when the request asks for the past both ways, or for version 0.</summary>
    private static void Asked(DateTimeOffset? asOf, long? version)
    {
        if (asOf is not null && version is not null) throw ApiProblem.BadRequest("Give as_of or version, not both.");
        if (version is < 1) throw ApiProblem.BadRequest($"version must be 1 or more, not {version}.");
    }
}
