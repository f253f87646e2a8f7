using Catalog.Application.Assets;
using Catalog.Application.Blobs;
using Catalog.Application.Productions;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Queries;
using Marten;

namespace Catalog.Application.Trash;

/// <param name="Productions">Productions purged (a <c>production.purged</c> event each).</param>
/// <param name="Assets">Assets purged (a <c>{kind}.purged</c> event each).</param>
/// <param name="Blobs">Blobs removed from the store: referenced by no live asset and by nothing still in the trash.</param>
public sealed record PurgeResult(int Productions, int Assets, int Blobs, long BlobBytes);

/// <summary>
/// Emptying the trash: everything deleted before an instant (the retention, or now on demand) gets a
/// <c>*.purged</c> event through its purge handler — it can no longer be restored, its history stays — and then the
/// blob store keeps only the bytes that a live asset or an asset still in the trash names (<see cref="BlobSweep"/>:
/// safe against registrations of the same bytes running meanwhile, on any node).
/// </summary>
public static class TrashPurge
{
    public static async Task<PurgeResult> PurgeAsync(
        IDocumentStore store, IBlobStore blobs, DateTimeOffset trashedBefore, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);

        int productions = 0, assets = 0;
        await foreach (var item in TrashItems.DueAsync(connection, trashedBefore, ct))
        {
            await using var session = store.LightweightSession();
            try
            {
                if (item.Kind == "production")
                {
                    await ProductionCommands.HandleAsync(session, new PurgeProduction(item.Id), caller, clock, ct);
                    productions++;
                }
                else if (AssetKinds.TryParse(item.Kind, out var kind))
                {
                    await kind.Accept(new PurgeAssetVisitor(session, long.Parse(item.Id), caller, clock, ct));
                    assets++;
                }
            }
            catch (Exception e) when (e is DomainException or JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // Restored (or purged) while the purge ran: no longer due.
            }
        }

        var (removed, bytes) = await BlobSweep.RunAsync(store, blobs, ct);
        return new PurgeResult(productions, assets, removed, bytes);
    }

    private sealed record PurgeAssetVisitor(IDocumentSession Session, long AssetId, Caller Caller, TimeProvider Clock, CancellationToken Ct)
        : IAssetKindVisitor<Task>
    {
        public Task Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            AssetCommands.HandleAsync(Session, new PurgeAsset<TMetadata>(AssetId), Caller, Clock, Ct);
    }
}
