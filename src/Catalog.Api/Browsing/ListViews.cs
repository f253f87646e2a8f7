using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Browsing;

/// <summary>
/// The seed's browsing lists: metadata only (never bytes), newest first (created_at, then id, both descending),
/// filtered by the kind's type and/or production (productions by status), one page with the total. Asset items carry
/// <c>production_id</c> (their <c>production</c> link is null here; the detail endpoints fill it). The views are stored
/// as the items are shown (see <see cref="ListPages"/>): a page is their JSON side by side.
/// </summary>
public static class ListEndpoints
{
    public static async Task<ContentHttpResult> Assets<TMetadata>(string? type, [FromQuery(Name = "production_id")] string? productionId,
        int? limit, int? offset, IGallery gallery, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var (take, skip) = Paging.Read(limit, offset);
        var json = await gallery.AssetPageAsync<TMetadata>(Paging.Type(type), string.IsNullOrEmpty(productionId) ? null : productionId, take, skip, ct);
        return TypedResults.Text(json, "application/json; charset=utf-8");
    }

    public static async Task<ContentHttpResult> Productions(string? status, int? limit, int? offset, IGallery gallery, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit, offset);
        return TypedResults.Text(await gallery.ProductionPageAsync(Paging.Type(status), take, skip, ct), "application/json; charset=utf-8");
    }
}
