using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections;
using Marten;

namespace Catalog.Application.Assets;

/// <summary>
/// What registrations decided together in one transaction (an import's group commit) share, so a batch costs a few
/// statements instead of a few per file: each production locked once, the ids of each kind drawn in one statement, and
/// the filenames taken as the caller found them free just before (the views' unique filename index still refuses a
/// filename taken meanwhile — the whole batch then fails and its files are registered again one by one), and the new
/// streams written together (<see cref="NewAssetStreams"/>: each table a statement, not each row).
/// </summary>
/// <param name="group">The registrations: how many of each kind (the ids drawn at once), and the ids they would keep (an
/// import's, claimed at once).</param>
/// <param name="rehearsal">The numbers the kinds' sequences would give next, read, and no sequence moved: a batch sent only to
/// ready the code and undone (<see cref="AssetCommands.RegisterGroupAsync"/>), never committed.</param>
public sealed class RegistrationBatch(IReadOnlyList<PendingRegistration> group, bool rehearsal = false)
{
    private readonly Dictionary<string, Production?> _productions = new(StringComparer.Ordinal);
    private readonly Dictionary<AssetKind, Queue<long>> _ids = [];
    private readonly Dictionary<AssetKind, int> _left = group.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count());
    private readonly Dictionary<AssetKind, HashSet<long>> _claimed = [];
    private readonly NewAssetStreams _streams = new();

    /// <summary>A registration decided: its stream, event and view row are written with the others' by <see cref="QueueWrites"/>.</summary>
    public void Registered<TMetadata>(AssetRegistered<TMetadata> registered) where TMetadata : IAssetMetadata => _streams.Add(registered);

    /// <summary>
    /// Queues the decided registrations' rows in the session, to be written by its commit: stamped as Marten stamps the
    /// events it appends (the session's user, correlation, causation, the catalog's headers) at its store's clock's time.
    /// </summary>
    public void QueueWrites(IDocumentSession session)
    {
        var headers = new[] { CatalogStore.ReasonHeader, CatalogStore.ViaHeader }
            .Select(name => (name, value: session.GetHeader(name)?.ToString()))
            .Where(h => h.value is not null)
            .ToDictionary(h => h.name, h => h.value!);
        _streams.Queue(session, CatalogStore.ClockOf(session.DocumentStore).GetUtcNow(), headers);
    }

    /// <summary>The production, locked by the first registration into it that asks (the lock lasts until the transaction ends).</summary>
    public async Task<Production?> LockProductionAsync(IDocumentSession session, string productionId, CancellationToken ct)
    {
        if (!_productions.TryGetValue(productionId, out var production))
            _productions[productionId] = production = await Streams.LockReferencedProductionAsync(session, productionId, ct);
        return production;
    }

    /// <summary>The next id of the kind: the first ask draws as many as the batch has registrations of the kind left.</summary>
    public async Task<long> NextIdAsync(IDocumentSession session, AssetKind kind, CancellationToken ct)
    {
        if (!_ids.TryGetValue(kind, out var ids) || ids.Count == 0)
        {
            var count = Math.Max(1, _left.GetValueOrDefault(kind));
            var sequence = AssetIdSequences.Qualified(kind);
            // A rehearsal's: the numbers the sequence would give next, read without moving it (its rows are sent, then undone) —
            // past the ids the group wants to keep, as a real batch moves the sequence past them before it draws.
            if (rehearsal)
            {
                var kept = group.Where(p => p.Kind == kind && p.WantedId >= 1).Select(p => p.WantedId!.Value).DefaultIfEmpty(0).Max();
                _ids[kind] = ids = new Queue<long>(await session.QueryAsync<long>(
                    $"select greatest((select case when is_called then last_value else last_value - 1 end from {sequence}), ?) + n from generate_series(1, ?) n order by 1",
                    ct, kept, count));
            }
            else _ids[kind] = ids = new Queue<long>(await session.QueryAsync<long>($"select nextval('{sequence}') from generate_series(1, ?) n order by 1", ct, count));
        }
        _left[kind] = Math.Max(0, _left.GetValueOrDefault(kind) - 1);
        return ids.Dequeue();
    }

    /// <summary>
    /// <see cref="AssetIds.TryClaimAsync"/> for the whole batch: the first ask of a kind looks up every wanted id of the kind
    /// in one query (taken when no asset of the kind ever had it) and moves the sequence past the highest one taken, once.
    /// </summary>
    public async Task<bool> TryClaimAsync(IDocumentSession session, AssetKind kind, long id, CancellationToken ct)
    {
        if (!_claimed.TryGetValue(kind, out var claimed))
        {
            var wanted = group.Where(p => p.Kind == kind && p.WantedId >= 1).Select(p => p.WantedId!.Value).Distinct()
                .ToDictionary(i => kind.StreamKey(i));
            var had = await session.QueryAsync<string>($"select id from {CatalogStore.SchemaName}.mt_streams where id = any(?)", ct,
                (object)wanted.Keys.ToArray());
            _claimed[kind] = claimed = wanted.ExceptBy(had, w => w.Key).Select(w => w.Value).ToHashSet();
            if (claimed.Count > 0 && !rehearsal) await AssetIds.AdvanceAsync(session, kind, claimed.Max(), ct);
        }
        return claimed.Remove(id);
    }

    /// <summary>A registration that kept its own id (an import's) draws none: one fewer to draw.</summary>
    public void Kept(AssetKind kind) => _left[kind] = Math.Max(0, _left.GetValueOrDefault(kind) - 1);
}
