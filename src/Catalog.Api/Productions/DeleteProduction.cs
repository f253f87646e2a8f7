using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

public static class DeleteProductionEndpoint
{
    /// <summary>
    /// Deletes the production and, like the seed's ON DELETE CASCADE, every asset in it: each asset's
    /// stream gets its own deletion event naming the production, all in one transaction. The events stay.
    /// </summary>
    [WolverineDelete("/api/productions/{id}"), Tags("Productions"), EndpointSummary("Delete a production and its assets")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Delete(
        string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var production = await Streams.Production(session, id, expectedVersion, ct, exclusive: true);
        production.AppendOne(ProductionDecisions.Delete(production.Aggregate, id, caller.Actor, now));

        await CascadeAsync<ImageMetadata>(session, id, caller, now, ct);
        await CascadeAsync<VideoMetadata>(session, id, caller, now, ct);
        await CascadeAsync<AudioMetadata>(session, id, caller, now, ct);

        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    private static async Task CascadeAsync<TMetadata>(
        IDocumentSession session, string productionId, Caller caller, DateTimeOffset now, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetIds = await session.Query<AssetView<TMetadata>>()
            .Where(x => x.ProductionId == productionId)
            .Select(x => x.Id)
            .ToListAsync(ct);

        foreach (var assetId in assetIds)
        {
            var asset = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(assetId), ct);
            asset.AppendOne(AssetDecisions.Delete(asset.Aggregate, assetId, productionId, caller.Actor, now));
        }
    }
}
