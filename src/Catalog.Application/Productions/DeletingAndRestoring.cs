using Catalog.Application.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Application.Productions;

public static partial class ProductionCommands
{
    /// <summary>
    /// Deletes the production and, like the seed's ON DELETE CASCADE, every asset in it: each asset's stream gets its own
    /// <c>*.trashed</c> naming the production, all in one transaction, under the production's lock (so no asset can be
    /// registered or moved into it meanwhile). The events stay.
    /// </summary>
    public static async Task HandleAsync(IDocumentSession session, DeleteProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        caller.Stamp(session);
        var now = clock.GetUtcNow();
        var production = await Streams.LockProductionAsync(session, command.ProductionId, ct, command.ExpectedVersion);
        production.AppendOne(ProductionDecisions.Delete(production.Aggregate, command, caller.Actor, now));
        foreach (var kind in AssetKinds.All) await kind.Accept(new CascadeDelete(session, command.ProductionId, caller.Actor, now, ct));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Brings the production back from the trash with the same id, and with it every asset that was deleted because it was
    /// (the cascade, undone), all in one transaction. A conflict — and nothing restored — when one of those assets'
    /// filenames was taken meanwhile.
    /// </summary>
    public static async Task HandleAsync(IDocumentSession session, RestoreProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        caller.Stamp(session);
        var now = clock.GetUtcNow();
        var stream = await Streams.LockProductionAsync(session, command.ProductionId, ct);
        var restored = ProductionDecisions.Restore(stream.Aggregate, command, caller.Actor, now);
        stream.AppendOne(restored);
        var live = Production.Evolve(stream.Aggregate, restored);

        var conflicts = new List<string>();
        foreach (var item in await TrashItems.CascadedFromAsync(session, command.ProductionId, ct))
        {
            try
            {
                await AssetKinds.Of(item.Kind).Accept(new CascadeRestore(session, item.AssetId, live, caller.Actor, now, ct));
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
            {
                conflicts.Add(e.Message);
            }
        }
        if (conflicts.Count > 0)
            throw DomainException.Conflict(
                $"Production '{command.ProductionId}' cannot come back with its assets; nothing was restored. {string.Join(" ", conflicts)}");
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Emptied from the trash for good (the purge's step for a production).</summary>
    public static async Task HandleAsync(IDocumentSession session, PurgeProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        caller.Stamp(session);
        var stream = await session.Events.FetchForWriting<Production>(Production.StreamKey(command.ProductionId), ct);
        stream.AppendOne(ProductionDecisions.Purge(stream.Aggregate, command, caller.Actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
    }

    private sealed record CascadeDelete(IDocumentSession Session, string ProductionId, string By, DateTimeOffset Now, CancellationToken Ct)
        : IAssetKindVisitor<Task>
    {
        public async Task Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var ids = await Session.Query<AssetView<TMetadata>>().Where(x => x.ProductionId == ProductionId).Select(x => x.Id).ToListAsync(Ct);
            foreach (var id in ids)
            {
                var asset = await Session.Events.FetchForWriting<Asset<TMetadata>>(Asset<TMetadata>.StreamKey(id), Ct);
                asset.AppendOne(AssetDecisions.Cascade(asset.Aggregate, id, ProductionId, By, Now));
            }
        }
    }

    private sealed record CascadeRestore(IDocumentSession Session, long AssetId, Production? Production, string By, DateTimeOffset Now, CancellationToken Ct)
        : IAssetKindVisitor<Task>
    {
        public async Task Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var asset = await Session.Events.FetchForWriting<Asset<TMetadata>>(Asset<TMetadata>.StreamKey(AssetId), Ct);
            await AssetCommands.RequireFilenameFreeAsync(Session, AssetDecisions.Trashed(asset.Aggregate, AssetId), Ct);
            asset.AppendOne(AssetDecisions.Restore(asset.Aggregate, new RestoreAsset<TMetadata>(AssetId), Production, By, Now));
        }
    }
}
