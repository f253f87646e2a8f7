using Catalog.Api.Assets;
using Catalog.Api.Hosting;
using Catalog.Api.Productions;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Api.Browsing;

/// <summary>
/// Time travel: a production or an asset as it was at an instant (<c>as_of</c>) or after an event of its
/// stream (<c>version</c>), rebuilt from the events with the projections' own Create/Apply
/// (<see cref="CatalogAtInstant"/>) — the same answer the live view gave then.
/// </summary>
public static class PastState
{
    /// <summary>True when the request asks for the past; a 400 when it asks both ways or for version 0.</summary>
    public static bool Asked(DateTimeOffset? asOf, long? version)
    {
        if (asOf is not null && version is not null) throw ApiProblem.BadRequest("Give as_of or version, not both.");
        if (version is < 1) throw ApiProblem.BadRequest($"version must be 1 or more, not {version}.");
        return asOf is not null || version is not null;
    }

    public static async Task<object> AssetAsync<TMetadata>(IQuerySession session, long id, DateTimeOffset? asOf, long? version, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var what = $"{TMetadata.Kind.Name()} {id}";
        var past = await FoldAsync(session, StreamKeys.Asset<TMetadata>(id), what, asOf, version, ct);
        var view = past.Assets<TMetadata>().GetValueOrDefault(id)
                   ?? throw DomainException.NotFound($"The {what} was deleted by {past.Instant:O}.");

        ProductionLink? link = null;
        if (view.ProductionId is { } productionId)
        {
            var then = await CatalogAtInstant.BuildAsync(session, past.Instant, [StreamKeys.Production(productionId)], ct);
            if (then.Productions.TryGetValue(productionId, out var production))
                link = new ProductionLink(production.Id, production.Title, production.Status, ProductionLinks.Location(production.Id));
        }
        return AssetResponses.From(view, link);
    }

    public static async Task<ProductionDetailResponse> ProductionAsync(
        IQuerySession session, CatalogReads reads, string id, DateTimeOffset? asOf, long? version, CancellationToken ct)
    {
        var past = await FoldAsync(session, StreamKeys.Production(id), $"production '{id}'", asOf, version, ct);
        var production = past.Productions.GetValueOrDefault(id)
                         ?? throw DomainException.NotFound($"The production '{id}' was deleted by {past.Instant:O}.");

        var assetStreams = (await EventHistory.StreamsOfProductionAsync(reads, id, withAssets: true, ct)).Skip(1).ToList();
        var assets = await CatalogAtInstant.BuildAsync(session, past.Instant, assetStreams, ct);
        return new ProductionDetailResponse(production,
            Of(assets.Images, id).Select(v => AssetResponses.Image(v, null)).ToList(),
            Of(assets.Videos, id).Select(v => AssetResponses.Video(v, null)).ToList(),
            Of(assets.Audio, id).Select(v => AssetResponses.Audio(v, null)).ToList());
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

    private static IEnumerable<AssetView<TMetadata>> Of<TMetadata>(Dictionary<long, AssetView<TMetadata>> assets, string productionId)
        where TMetadata : IAssetMetadata =>
        assets.Values.Where(a => a.ProductionId == productionId).OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id);
}
