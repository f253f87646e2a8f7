using Catalog.Api.Assets;
using Catalog.Api.Browsing;
using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Catalog.Application.Trash;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

public static class RestoreProductionEndpoint
{
    /// <summary>
    /// Brings a production back from the trash with the same id, and with it every asset that was deleted
    /// because it was (the cascade, undone), all in one transaction. 409 — and nothing restored — when one of
    /// those assets' filenames was taken meanwhile.
    /// </summary>
    [WolverinePost("/api/productions/{id}/restore"), Tags("Productions"), EndpointSummary("Restore a production (and its assets) from the trash")]
    [ProducesResponseType<ProductionDetailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static async Task<ProductionDetailResponse> Post(string id, IDocumentSession session, CatalogReads reads,
        [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stream = await session.Events.FetchForExclusiveWriting<Production>(StreamKeys.Production(id), ct);
        var restored = ProductionDecisions.Restore(stream.Aggregate, id, caller.Actor, now);
        stream.AppendOne(restored);
        var live = Production.Evolve(stream.Aggregate, restored);

        List<TrashItem> cascaded;
        await using (var connection = await reads.OpenAsync(ct))
            cascaded = (await TrashItems.ListAsync(connection, kind: null, trashedBefore: null, ct))
                .Where(i => i.CascadedFromProductionId == id).ToList();
        var conflicts = new List<string>();
        foreach (var item in cascaded)
        {
            try
            {
                switch (item.Kind)
                {
                    case "image": await RestoreAssetAsync<ImageMetadata>(session, item, live, caller, now, ct); break;
                    case "video": await RestoreAssetAsync<VideoMetadata>(session, item, live, caller, now, ct); break;
                    case "audio": await RestoreAssetAsync<AudioMetadata>(session, item, live, caller, now, ct); break;
                }
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
            {
                conflicts.Add(e.Message);
            }
        }
        if (conflicts.Count > 0)
            throw DomainException.Conflict($"Production '{id}' cannot come back with its assets; nothing was restored. {string.Join(" ", conflicts)}");

        await session.SaveChangesAsync(ct);
        return await GetProductionEndpoint.Get(id, null, null, session, reads, ct);
    }

    private static async Task RestoreAssetAsync<TMetadata>(IDocumentSession session, TrashItem item, Production? production,
        Caller caller, DateTimeOffset now, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var assetId = long.Parse(item.Id);
        var asset = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(assetId), ct);
        await RestoreAssetEndpoint.RequireFilenameFreeAsync(session, AssetDecisions.Trashed(asset.Aggregate, assetId), ct);
        asset.AppendOne(AssetDecisions.Restore(asset.Aggregate, assetId, production, caller.Actor, now));
    }
}
