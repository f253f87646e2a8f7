using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Blobs;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Projections.Trash;

/// <param name="Productions">Productions purged (a <c>production.purged</c> event each).</param>
/// <param name="Assets">Assets purged (a <c>{kind}.purged</c> event each).</param>
/// <param name="Blobs">Blobs removed from the store: referenced by no live asset and by nothing still in the trash.</param>
public sealed record PurgeResult(int Productions, int Assets, int Blobs, long BlobBytes);

/// <summary>
/// Emptying the trash: everything deleted before an instant (the retention, or now on demand) gets a
/// <c>*.purged</c> event — it can no longer be restored, its history stays — and then the blob store keeps only
/// the bytes that a live asset or an asset still in the trash names. Blobs younger than an hour are left alone:
/// an upload's bytes are stored just before the event that names them.
/// </summary>
public static class TrashPurge
{
    public static readonly TimeSpan BlobGrace = TimeSpan.FromHours(1);

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

        var (removed, bytes) = await SweepBlobsAsync(store, blobs, now, ct);
        return new PurgeResult(productions, assets, removed, bytes);
    }

    private static async Task PurgeAssetAsync<TMetadata>(IDocumentSession session, TrashItem item, string by, DateTimeOffset now, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var id = long.Parse(item.Id);
        var asset = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(id), ct);
        asset.AppendOne(AssetDecisions.Purge(asset.Aggregate, id, by, now));
    }

    /// <summary>Removes the blobs nothing live or restorable references (and that are older than <see cref="BlobGrace"/>).</summary>
    private static async Task<(int Removed, long Bytes)> SweepBlobsAsync(IDocumentStore store, IBlobStore blobs, DateTimeOffset now, CancellationToken ct)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            foreach (var kind in Enum.GetValues<AssetKind>())
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"select distinct data ->> 'sha256' from {QuerySchema.Tables.Assets(kind)}";
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) referenced.Add(reader.GetString(0));
            }
            foreach (var trashed in await TrashItems.ListAsync(connection, kind: null, trashedBefore: null, ct))
            {
                if (trashed.Sha256 is { } sha) referenced.Add(sha);
            }
        }

        int removed = 0;
        long bytes = 0;
        await foreach (var blob in blobs.ListAsync(ct))
        {
            if (referenced.Contains(blob.Sha256) || now - blob.WrittenAt < BlobGrace) continue;
            await blobs.DeleteAsync(blob.Sha256, ct);
            removed++;
            bytes += blob.Length;
        }
        return (removed, bytes);
    }
}
