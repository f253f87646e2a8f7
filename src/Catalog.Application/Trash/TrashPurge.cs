using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Domain;
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
/// <c>*.purged</c> event — it can no longer be restored, its history stays — and then the blob store keeps only
/// the bytes that a live asset or an asset still in the trash names (<see cref="BlobSweep"/>: safe against
/// registrations of the same bytes running meanwhile, on any node).
/// </summary>
public static class TrashPurge
{
    public static async Task<PurgeResult> PurgeAsync(
        IDocumentStore store, IBlobStore blobs, DateTimeOffset trashedBefore, string by, DateTimeOffset now, CancellationToken ct)
    {
        List<TrashItem> due;
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            due = await TrashItems.ListAsync(connection, kind: null, trashedBefore, ct);
        }

        int productions = 0, assets = 0;
        foreach (var item in due)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = by;
            try
            {
                switch (item.Kind)
                {
                    case "production":
                        var production = await session.Events.FetchForWriting<Production>(StreamKeys.Production(item.Id), ct);
                        production.AppendOne(ProductionDecisions.Purge(production.Aggregate, item.Id, by, now));
                        break;
                    case "image": await PurgeAssetAsync<ImageMetadata>(session, item, by, now, ct); break;
                    case "video": await PurgeAssetAsync<VideoMetadata>(session, item, by, now, ct); break;
                    case "audio": await PurgeAssetAsync<AudioMetadata>(session, item, by, now, ct); break;
                }
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is DomainException or JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                continue; // restored (or purged) while the purge ran: no longer due
            }
            if (item.Kind == "production") productions++;
            else assets++;
        }

        var (removed, bytes) = await BlobSweep.RunAsync(store, blobs, ct);
        return new PurgeResult(productions, assets, removed, bytes);
    }

    private static async Task PurgeAssetAsync<TMetadata>(IDocumentSession session, TrashItem item, string by, DateTimeOffset now, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var id = long.Parse(item.Id);
        var asset = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(id), ct);
        asset.AppendOne(AssetDecisions.Purge(asset.Aggregate, id, by, now));
    }
}
