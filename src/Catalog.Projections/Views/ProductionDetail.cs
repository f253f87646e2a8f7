using System.Text.Json.Serialization;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Marten;

namespace Catalog.Projections.Views;

/// <summary>
/// A production with its live assets, grouped by kind under the kinds' table names (<c>images</c>, <c>videos</c>,
/// <c>audio</c>), each newest first and one page long — <c>limit</c> per kind from <c>offset</c> —, with each kind's
/// <c>totals</c>: <c>{"production": {...}, "totals": {"images": 412, …}, "limit": 200, "offset": 0, "images": [...], …}</c>.
/// </summary>
public sealed record ProductionDetail(ProductionView Production, IReadOnlyDictionary<string, long> Totals, int Limit, int Offset)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    /// <summary>Each kind's page of assets under the kind's table name, written beside <see cref="Production"/>.</summary>
    [JsonExtensionData]
    public IDictionary<string, object> Assets { get; init; } = new Dictionary<string, object>();

    public IReadOnlyList<AssetView<TMetadata>> Of<TMetadata>() where TMetadata : IAssetMetadata =>
        (IReadOnlyList<AssetView<TMetadata>>)Assets[TMetadata.Kind.Table()];

    /// <summary>The production as it is now, with a page of each kind of its assets; 404 when there is no such live production.</summary>
    public static async Task<ProductionDetail> LoadAsync(IQuerySession session, string productionId, CancellationToken ct,
        int limit = DefaultLimit, int offset = 0)
    {
        var production = await session.LoadAsync<ProductionView>(productionId, ct)
                         ?? throw DomainException.NotFound($"There is no production '{productionId}'.");
        var assets = new Dictionary<string, object>();
        var totals = new Dictionary<string, long>();
        foreach (var kind in AssetKinds.All)
            (assets[kind.Table], totals[kind.Table]) = await kind.Accept(new AssetsOf(session, productionId, limit, offset, ct));
        return new ProductionDetail(production, totals, limit, offset) { Assets = assets };
    }

    /// <summary>The production and its assets from a fold of the past (<see cref="CatalogAtInstant"/>).</summary>
    public static ProductionDetail From(ProductionView production, CatalogAtInstant catalog, int limit = DefaultLimit, int offset = 0)
    {
        var pages = AssetKinds.All.ToDictionary(k => k.Table, k => k.Accept(new PastAssetsOf(catalog, production.Id, limit, offset)));
        return new ProductionDetail(production, pages.ToDictionary(p => p.Key, p => p.Value.Total), limit, offset)
        {
            Assets = pages.ToDictionary(p => p.Key, p => p.Value.Page),
        };
    }

    private sealed record AssetsOf(IQuerySession Session, string ProductionId, int Limit, int Offset, CancellationToken Ct)
        : IAssetKindVisitor<Task<(object Page, long Total)>>
    {
        public async Task<(object Page, long Total)> Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var query = Session.Query<AssetView<TMetadata>>().Where(x => x.ProductionId == ProductionId);
            var page = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Skip(Offset).Take(Limit).ToListAsync(Ct);
            return (page, Offset == 0 && page.Count < Limit ? page.Count : await query.CountAsync(Ct));
        }
    }

    private sealed record PastAssetsOf(CatalogAtInstant Catalog, string ProductionId, int Limit, int Offset) : IAssetKindVisitor<(object Page, long Total)>
    {
        public (object Page, long Total) Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var all = Catalog.Assets<TMetadata>().Values.Where(a => a.ProductionId == ProductionId).ToList();
            return (all.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(Offset).Take(Limit).ToList(), all.Count);
        }
    }
}
