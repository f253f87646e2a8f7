using Catalog.Domain.Assets;
using Marten;

namespace Catalog.Projections.Views;

/// <summary>The production an asset belongs to, with the URL of its resource.</summary>
public sealed record ProductionLink(string Id, string? Title, string Status, string Url)
{
    public static string Location(string productionId) => $"/api/gallery/production/{Uri.EscapeDataString(productionId)}";

    public static ProductionLink Of(ProductionView production) => new(production.Id, production.Title, production.Status, Location(production.Id));
}

/// <summary>An asset as its detail answers: the view, with its production link filled in.</summary>
public sealed record AssetDetail<TMetadata>(AssetView<TMetadata> Asset, ProductionLink? Production) where TMetadata : IAssetMetadata;

/// <summary>Reading an asset's detail: the live view with its production link.</summary>
public static class AssetDetails
{
    /// <summary>Where an asset's detail is read: <c>/api/gallery/image/7</c>.</summary>
    public static string Location(AssetKind kind, long id) => $"/api/gallery/{kind.Name()}/{id}";

    /// <summary>The live asset with its production link, or null when there is no live asset with that id.</summary>
    public static async Task<AssetDetail<TMetadata>?> LoadAsync<TMetadata>(IQuerySession session, long id, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var view = await session.LoadAsync<AssetView<TMetadata>>(id, ct);
        if (view is null) return null;
        var production = view.ProductionId is { } productionId ? await session.LoadAsync<ProductionView>(productionId, ct) : null;
        return new AssetDetail<TMetadata>(view, production is null ? null : ProductionLink.Of(production));
    }
}
