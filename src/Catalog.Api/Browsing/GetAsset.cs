using Catalog.Api.Http;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's asset details — metadata (never bytes) and the production link — and a production with its assets. With
/// <c>as_of</c> (ISO-8601) or <c>version</c> (of the stream), as they were then, rebuilt from the events.
/// </summary>
public static class GetDetailEndpoints
{
    public static async Task<AssetDetail<TMetadata>> Asset<TMetadata>(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version,
        IQuerySession session, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        if (Asked(asOf, version)) return await PastViews.AssetAsync<TMetadata>(session, assetId, asOf, version, ct);
        return await AssetDetails.LoadAsync<TMetadata>(session, assetId, ct)
               ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {assetId}.");
    }

    /// <summary>The production with a page of each kind of its assets (<c>limit</c> 1–1000, default 200, and <c>offset</c> per kind) and each kind's total.</summary>
    public static async Task<ProductionDetail> Production(string id, [FromQuery(Name = "as_of")] DateTimeOffset? asOf, long? version,
        int? limit, int? offset, IQuerySession session, CatalogReads reads, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit ?? ProductionDetail.DefaultLimit, offset, ProductionDetail.MaxLimit);
        return Asked(asOf, version)
            ? await PastViews.ProductionAsync(session, reads, id, asOf, version, ct, take, skip)
            : await ProductionDetail.LoadAsync(session, id, ct, take, skip);
    }

    /// <summary>True when the request asks for the past; a 400 when it asks both ways or for version 0.</summary>
    private static bool Asked(DateTimeOffset? asOf, long? version)
    {
        if (asOf is not null && version is not null) throw ApiProblem.BadRequest("Give as_of or version, not both.");
        if (version is < 1) throw ApiProblem.BadRequest($"version must be 1 or more, not {version}.");
        return asOf is not null || version is not null;
    }
}
