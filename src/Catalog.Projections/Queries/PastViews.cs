using Catalog.Domain;
using Catalog.Domain.Productions;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Projections.Queries;

/// <summary>
/// Time travel: a production or an asset as it was at an instant (<c>as_of</c>) or after an event of its stream
/// (<c>version</c>), rebuilt from the events with the projections' own folds (<see cref="CatalogAtInstant"/>) — the
/// same answer the live view gave then. 404s say whether it did not exist yet, was deleted, or never existed.
/// </summary>
public static class PastViews
{
    public static async Task<AssetDetail<TMetadata>> AssetAsync<TMetadata>(IQuerySession session, long id, DateTimeOffset? asOf, long? version, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var what = $"{TMetadata.Kind.Name()} {id}";
        var past = await FoldAsync(session, Asset<TMetadata>.StreamKey(id), what, asOf, version, ct);
        var view = past.Assets<TMetadata>().GetValueOrDefault(id)
                   ?? throw DomainException.NotFound($"The {what} was deleted by {past.Instant:O}.");

        ProductionLink? link = null;
        if (view.ProductionId is { } productionId)
        {
            var then = await CatalogAtInstant.BuildAsync(session, past.Instant, [Production.StreamKey(productionId)], ct);
            if (then.Productions.TryGetValue(productionId, out var production)) link = ProductionLink.Of(production);
        }
        return new AssetDetail<TMetadata>(view, link);
    }

    public static async Task<ProductionDetail> ProductionAsync(IQuerySession session, CatalogReads reads, string id, DateTimeOffset? asOf, long? version,
        CancellationToken ct, int limit = ProductionDetail.DefaultLimit, int offset = 0)
    {
        var past = await FoldAsync(session, Production.StreamKey(id), $"production '{id}'", asOf, version, ct);
        var production = past.Productions.GetValueOrDefault(id)
                         ?? throw DomainException.NotFound($"The production '{id}' was deleted by {past.Instant:O}.");

        var assetStreams = (await EventHistory.StreamsOfProductionAsync(reads, id, withAssets: true, ct)).Skip(1).ToList();
        return ProductionDetail.From(production, await CatalogAtInstant.BuildAsync(session, past.Instant, assetStreams, ct), limit, offset);
    }

    /// <summary>One stream folded up to the instant, or exactly up to its event <paramref name="version"/>. 404 when it did not exist yet.</summary>
    private static async Task<CatalogAtInstant> FoldAsync(
        IQuerySession session, string key, string what, DateTimeOffset? asOf, long? version, CancellationToken ct)
    {
        var state = await session.Events.FetchStreamStateAsync(key, ct)
                    ?? throw DomainException.NotFound($"The {what} never existed.");
        if (version is { } v)
        {
            if (v > state.Version) throw DomainException.NotFound($"The {what} has {state.Version} events; there is no version {v}.");
            return await CatalogAtInstant.AtVersionAsync(session, key, v, ct);
        }
        // Judged by the first event's own timestamp, the clock the fold uses (the stream row's is set a little later).
        var instant = asOf!.Value;
        var first = (await session.Events.FetchStreamAsync(key, version: 1, token: ct))[0].Timestamp;
        if (first > instant)
            throw DomainException.NotFound($"The {what} did not exist yet at {instant:O}; its first event is from {first:O}.");
        return await CatalogAtInstant.BuildAsync(session, instant, [key], ct);
    }
}
