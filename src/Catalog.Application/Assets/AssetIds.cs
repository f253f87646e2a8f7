using Catalog.Domain;
using Catalog.Domain.Assets;
using Marten;
using Catalog.Projections;

namespace Catalog.Application.Assets;

/// <summary>
/// The seed's INTEGER ids: one PostgreSQL sequence per kind. A number is taken when a registration is
/// decided and never handed out again, even if that registration then fails (like AUTOINCREMENT, gaps allowed).
/// </summary>
public static class AssetIds
{
    /// <summary>
    /// Takes a given id (an import keeping its rows' ids) when no asset of the kind ever had it: no stream, live,
    /// trashed or purged. The sequence is moved past it by drawing numbers, never set back, so an upload running
    /// at the same time can never be handed the same id (at worst a few numbers are skipped).
    /// </summary>
    public static async Task<bool> TryClaimAsync(IDocumentSession session, AssetKind kind, long id, CancellationToken ct)
    {
        if (id < 1 || await session.Events.FetchStreamStateAsync(AssetKinds.StreamKey(kind, id), ct) is not null) return false;
        await AdvanceAsync(session, kind, id, ct);
        return true;
    }

    /// <summary>Moves the sequence up to at least <paramref name="id"/> (an import carrying the source's high-water mark).</summary>
    public static Task AdvanceAsync(IQuerySession session, AssetKind kind, long id, CancellationToken ct)
    {
        var sequence = $"{AssetIdSequences.Qualified(kind)}";
        return session.QueryAsync<long>(
            $"select count(nextval('{sequence}')) from generate_series(1, greatest(0, ? - (select case when is_called then last_value else 0 end from {sequence})))",
            ct, id);
    }

    public static async Task<long> NextAsync(IQuerySession session, AssetKind kind, CancellationToken ct)
    {
        var ids = await session.QueryAsync<long>(
            $"select nextval('{AssetIdSequences.Qualified(kind)}')", ct);
        return ids.Single();
    }
}
