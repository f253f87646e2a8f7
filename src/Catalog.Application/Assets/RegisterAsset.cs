using Catalog.Application.Blobs;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Projections.Views;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace Catalog.Application.Assets;

public static partial class AssetCommands
{
    /// <summary>
    /// Registering an asset, for every way in (the API's upload, the imports, the tests): the input's rules, the bytes
    /// whole (a file cut short is refused: 422), the filename's uniqueness, the production's lock, the id, then the bytes made durable and only then the
    /// <c>*.registered</c> event. Nothing is appended when a rule refuses. A second registration of the same filename
    /// racing this one fails inside the append's transaction (the view's unique index), whatever the pre-check saw.
    /// </summary>
    /// <param name="blob">The bytes, staged; <paramref name="command"/>'s content must describe them.</param>
    /// <param name="wantedId">An id to keep (an import's): taken when no asset of the kind ever had it, else the next id from the sequence.</param>
    /// <returns>The asset's id.</returns>
    public static async Task<long> HandleAsync<TMetadata>(IDocumentSession session, RegisterAsset<TMetadata> command, StagedBlob blob,
        Caller caller, TimeProvider clock, CancellationToken ct, long? wantedId = null)
        where TMetadata : IAssetMetadata
    {
        caller.Stamp(session);
        var id = await DecideAsync(session, command, blob, caller, clock, ct, wantedId);
        await BlobSweep.HoldOffAsync(session, ct); // no sweep between the blob's commit and the event's
        await blob.CommitAsync(ct); // durable before the event that names it
        await session.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>
    /// Registers staged files in one transaction with one flush of their bytes (group commit), for every way in that brings
    /// many files (the imports, the API's batch upload). Each is decided as <see cref="HandleAsync{TMetadata}(IDocumentSession, RegisterAsset{TMetadata}, StagedBlob, Caller, TimeProvider, CancellationToken, long?)"/>
    /// decides one — a refused one is left out, its neighbours go on — then the sweep is held off, every blob is made
    /// durable with one flush (<see cref="IBlobStore.CommitAllAsync"/>) while all the events are sent, with their views' rows,
    /// a few statements for the whole group (<see cref="RegistrationBatch.QueueWrites"/>), and they are committed in one commit
    /// once the flush has returned. When
    /// that commit fails because someone else took a filename or an id meanwhile (the views' unique index, the stream's id),
    /// it appends none of them and each is registered again alone, so one file never fails the others.
    /// </summary>
    /// <param name="rehearsal">Decide everything and send every row into the rehearsal's transaction, undone with it
    /// (<see cref="Rehearsal"/>): no id drawn from a sequence, no blob committed, no commit (the service's start readies
    /// the import's code this way, <c>FileSystemImport.RehearseAsync</c>).</param>
    /// <returns>Each registration's outcome, in order.</returns>
    public static async Task<IReadOnlyList<RegistrationOutcome>> RegisterGroupAsync(IDocumentStore store, IBlobStore blobs,
        IReadOnlyList<PendingRegistration> group, Caller caller, CancellationToken ct, Rehearsal? rehearsal = null)
    {
        var outcomes = new RegistrationOutcome[group.Count];
        if (group.Count == 0) return outcomes;
        try
        {
            await using var writes = await WriteSession.OpenHeldAsync(store, rehearsal, ct);
            var session = writes.Session;
            var batch = group.Count > 1 || rehearsal is not null ? new RegistrationBatch(group, rehearsal is not null) : null;
            caller.Stamp(session);
            if (batch is not null)
            {
                // Every production the group registers into, locked now and in one order: groups committing at once (an
                // import's batches, two batch uploads) then wait for one another instead of deadlocking.
                foreach (var productionId in group.Select(p => p.ProductionId).OfType<string>().Distinct().Order(StringComparer.Ordinal))
                    await batch.LockProductionAsync(session, productionId, ct);
            }
            var staged = new List<StagedBlob>(group.Count);
            for (var i = 0; i < group.Count; i++)
            {
                try
                {
                    outcomes[i] = new RegistrationOutcome(await group[i].Decide(session, batch, ct), null);
                    staged.Add(group[i].Blob);
                }
                catch (DomainException e)
                {
                    outcomes[i] = new RegistrationOutcome(null, e);
                }
            }
            if (staged.Count == 0) return outcomes;
            if (rehearsal is not null)
            {
                batch!.QueueWrites(session);
                await session.SaveChangesAsync(ct); // sent, and undone with the rehearsal; the staged bytes discarded by the caller
                return outcomes;
            }
            await BlobSweep.HoldOffAsync(session, ct);
            batch?.QueueWrites(session);
            // The bytes are made durable (renames, one flush) while the events' statements are sent; the events are committed
            // only once the bytes are durable (BENCHMARKS.md, "Imports one after another; the commit's halves side by side").
            var durable = Task.Run(() => blobs.CommitAllAsync(staged, ct), CancellationToken.None);
            try
            {
                await session.SaveChangesAsync(ct); // sent, not committed
            }
            catch
            {
                await durable.ContinueWith(_ => { }, TaskScheduler.Default); // never left running behind the failure
                throw;
            }
            await durable; // all durable before the events that name them
            await writes.CommitAsync(ct);
        }
        catch (Exception e) when (group.Count > 1 && Streams.IsRace(e))
        {
            for (var i = 0; i < group.Count; i++) outcomes[i] = (await RegisterGroupAsync(store, blobs, [group[i]], caller, ct, rehearsal))[0];
        }
        catch (Exception e) when (Streams.IsRace(e))
        {
            outcomes[0] = new RegistrationOutcome(null, e); // someone else took the filename, the id or the production meanwhile
        }
        return outcomes;
    }

    /// <summary>
    /// A registration decided in the session: the input's rules, the bytes whole, the filename free, the production
    /// locked, the id taken, and the <c>*.registered</c> event queued (appended by the session's commit, after the blob's;
    /// in a group, with the group's others: <see cref="RegistrationBatch.Registered"/>).
    /// </summary>
    /// <param name="batch">Shared with the other registrations of one transaction (locks, ids; the filename checked by the caller); null alone.</param>
    public static async Task<long> DecideAsync<TMetadata>(IDocumentSession session, RegisterAsset<TMetadata> command, StagedBlob blob,
        Caller caller, TimeProvider clock, CancellationToken ct, long? wantedId = null, RegistrationBatch? batch = null)
        where TMetadata : IAssetMetadata
    {
        if (command.Content.Sha256 != blob.Sha256 || command.Content.ByteSize != blob.Length)
            throw new ArgumentException("The command's content does not describe the staged bytes.", nameof(command));

        // Cheap refusals first, before a number is taken from the sequence: the input's rules, then bytes cut short.
        AssetDecisions.Validate(command);
        if (blob.FoundWholeAs != command.Content.MimeType && MediaIntegrity.Problem(blob.LocalPath, command.Content.MimeType) is { } damage)
            throw DomainException.Unprocessable($"The file is damaged — {damage}; nothing was kept.");
        if (batch is null && await FindByFilenameAsync<TMetadata>(session, command.Filename, ct) is not null)
            throw DomainException.Conflict(
                $"The filename '{command.Filename}' is already taken by {AssetKinds.Of<TMetadata>().Article}; nothing was appended.");

        // Registering into a production locks its stream until commit, so it cannot be deleted meanwhile.
        var production = command.ProductionId is not { } productionId ? null
            : batch is not null ? await batch.LockProductionAsync(session, productionId, ct)
            : await Streams.LockReferencedProductionAsync(session, productionId, ct);

        var kind = TMetadata.Kind;
        long id;
        if (wantedId is { } wanted && await (batch is not null ? batch.TryClaimAsync(session, kind, wanted, ct) : AssetIds.TryClaimAsync(session, kind, wanted, ct)))
        {
            id = wanted;
            batch?.Kept(kind);
        }
        else id = batch is not null ? await batch.NextIdAsync(session, kind, ct) : await AssetIds.NextAsync(session, kind, ct);
        var registered = AssetDecisions.Register(command, id, production, caller.Actor, clock.GetUtcNow());
        if (batch is not null) batch.Registered(registered);
        else session.Events.StartStream<Asset<TMetadata>>(Asset<TMetadata>.StreamKey(id), registered);
        return id;
    }

    /// <summary>The live asset of this kind with this filename, if any.</summary>
    public static Task<AssetView<TMetadata>?> FindByFilenameAsync<TMetadata>(IQuerySession session, string filename, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        session.Query<AssetView<TMetadata>>().FirstOrDefaultAsync(x => x.Filename == filename, ct);
}

/// <summary>A staged file and the registration it makes, decided (<see cref="AssetCommands.DecideAsync{TMetadata}"/>) in its group's transaction.</summary>
/// <param name="Decide">Decides the registration in the session (queues its event) and returns its id.</param>
/// <param name="ProductionId">The production it is registered into, if any (a group locks its productions up front, in order).</param>
/// <param name="WantedId">The id it would keep (an import's), claimed with the group's others in one query.</param>
public sealed record PendingRegistration(AssetKind Kind, StagedBlob Blob, string? ProductionId,
    Func<IDocumentSession, RegistrationBatch?, CancellationToken, Task<long>> Decide, long? WantedId = null);

/// <summary>What became of one registration of a group: its id, or why nothing was appended for it (a <see cref="DomainException"/>, or a race lost).</summary>
public readonly record struct RegistrationOutcome(long? Id, Exception? Refusal);
