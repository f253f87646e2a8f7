using System.Text.Json.Serialization;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Marten;

namespace Catalog.Projections.Views;

/// <summary>
/// A production with its live assets, grouped by kind under the kinds' table names (<c>images</c>, <c>videos</c>,
/// <c>audio</c>), each newest first: <c>{"production": {...}, "images": [...], ...}</c>.
/// </summary>
public sealed record ProductionDetail(ProductionView Production)
{
    /// <summary>Each kind's assets under the kind's table name, written beside <see cref="Production"/>.</summary>
    [JsonExtensionData]
    public IDictionary<string, object> Assets { get; init; } = new Dictionary<string, object>();

    public IReadOnlyList<AssetView<TMetadata>> Of<TMetadata>() where TMetadata : IAssetMetadata =>
        (IReadOnlyList<AssetView<TMetadata>>)Assets[TMetadata.Kind.Table()];

    /// <summary>The production as it is now, with its assets; 404 when there is no such live production.</summary>
    public static async Task<ProductionDetail> LoadAsync(IQuerySession session, string productionId, CancellationToken ct)
    {
        var production = await session.LoadAsync<ProductionView>(productionId, ct)
                         ?? throw DomainException.NotFound($"There is no production '{productionId}'.");
        var assets = new Dictionary<string, object>();
        foreach (var kind in AssetKinds.All) assets[kind.Table] = await kind.Accept(new AssetsOf(session, productionId, ct));
        return new ProductionDetail(production) { Assets = assets };
    }

    /// <summary>The production and its assets from a fold of the past (<see cref="CatalogAtInstant"/>).</summary>
    public static ProductionDetail From(ProductionView production, CatalogAtInstant catalog) =>
        new(production) { Assets = AssetKinds.All.ToDictionary(k => k.Table, k => k.Accept(new PastAssetsOf(catalog, production.Id))) };

    private sealed record AssetsOf(IQuerySession Session, string ProductionId, CancellationToken Ct) : IAssetKindVisitor<Task<object>>
    {
        public async Task<object> Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            await Session.Query<AssetView<TMetadata>>()
                .Where(x => x.ProductionId == ProductionId)
                .OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
                .ToListAsync(Ct);
    }

    private sealed record PastAssetsOf(CatalogAtInstant Catalog, string ProductionId) : IAssetKindVisitor<object>
    {
        public object Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            Catalog.Assets<TMetadata>().Values.Where(a => a.ProductionId == ProductionId)
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).ToList();
    }
}
