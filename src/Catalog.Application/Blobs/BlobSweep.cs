using System.Buffers.Binary;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Views;
using Catalog.Projections;
using Marten;
using Npgsql;

namespace Catalog.Application.Blobs;

/// <summary>
/// Removing the blobs nothing names, without ever removing one a registration is about to name. Every
/// registration holds a shared PostgreSQL advisory lock from just before it commits its blob until its
/// transaction ends (<see cref="HoldOffAsync"/>); the sweep takes that lock exclusively before its final reading
/// of what is referenced, so at that moment every committed blob is either named by a committed event or an
/// orphan whose registration failed. The lock lives in the database all nodes and the CLI share, so it holds
/// across processes. Blobs first found unreferenced outside the lock are only candidates; the deletions are
/// decided under it, and registrations wait at most for that final reading and the deletions.
/// </summary>
public static class BlobSweep
{
    /// <summary>The advisory lock's key, the same expression on both sides.</summary>
    private const string LockKey = "hashtext('catalog.blob_sweep')";

    /// <summary>
    /// Called by a registration before it commits its blob: holds the sweep off until the session's transaction
    /// commits (the event names the blob) or rolls back (the blob is an orphan a later sweep may take).
    /// </summary>
    public static async Task HoldOffAsync(IDocumentSession session, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await session.QueryAsync<long>($"select count(*) from (select pg_advisory_xact_lock_shared({LockKey})) as held", ct);
    }

    /// <summary>Removes every blob that no live asset and nothing in the trash names, and what interrupted stagings left.</summary>
    public static async Task<(int Removed, long Bytes)> RunAsync(IDocumentStore store, IBlobStore blobs, CancellationToken ct)
    {
        await blobs.RemoveAbandonedStagingAsync(ct);

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);

        // Candidates: what a first reading does not name. Referenced blobs are kept by 8 bytes of their hash
        // (memory stays small at millions of assets; a shared prefix only spares an orphan until a later sweep).
        var referenced = await ReferencedAsync(connection, ct);
        var candidates = new List<StoredBlob>();
        await foreach (var blob in blobs.ListAsync(ct))
            if (!referenced.Contains(Prefix(blob.Sha256))) candidates.Add(blob);
        if (candidates.Count == 0) return (0, 0);

        await Execute(connection, $"select pg_advisory_lock({LockKey})", ct);
        try
        {
            // No registration is between its blob's commit and its transaction's end now: read again, decide.
            referenced = await ReferencedAsync(connection, ct);
            int removed = 0;
            long bytes = 0;
            foreach (var blob in candidates.Where(b => !referenced.Contains(Prefix(b.Sha256))))
            {
                await blobs.DeleteAsync(blob.Sha256, ct);
                removed++;
                bytes += blob.Length;
            }
            return (removed, bytes);
        }
        finally
        {
            await Execute(connection, $"select pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// The hashes of the bytes every live asset and every asset still in the trash names, read in one statement
    /// (one snapshot: an asset moving between the trash and the views is seen in one of them).
    /// </summary>
    private static async Task<HashSet<ulong>> ReferencedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var views = Enum.GetValues<AssetKind>().Select(kind => $"select data ->> 'sha256' from {QuerySchema.Tables.Assets(kind)}");
        await using var command = new NpgsqlCommand($"""
            {string.Join("\nunion all\n", views)}
            union all
            select f.data -> 'content' ->> 'sha256'
              from {CatalogStore.SchemaName}.mt_streams s
              join {QuerySchema.Tables.Events} e on e.stream_id = s.id and e.version = s.version
              join {QuerySchema.Tables.Events} f on f.stream_id = s.id and f.version = 1
             where (e.type like '%.trashed' or e.type like '%.deleted') and f.data ? 'content'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var set = new HashSet<ulong>();
        while (await reader.ReadAsync(ct))
            if (!reader.IsDBNull(0)) set.Add(Prefix(reader.GetString(0)));
        return set;
    }

    private static ulong Prefix(string sha256) => BinaryPrimitives.ReadUInt64BigEndian(Convert.FromHexString(sha256.AsSpan(0, 16)));

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
