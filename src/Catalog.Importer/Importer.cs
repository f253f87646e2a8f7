using System.Security.Cryptography;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Application;
using Catalog.Application.Assets;
using Catalog.Application.Productions;
using Catalog.Domain.Productions;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Importer;

/// <summary>
/// The steps both imports share: a production in, an asset in (or skipped when its filename already holds the
/// same bytes, or a conflict when it holds others), and the source removed only once the catalog holds it.
/// Every step is one transaction of ordinary events with who ran the import and why, so a failure appends
/// nothing and a re-run continues where a killed one stopped. A rehearsal decides every step and sends every commit, undone (see
/// <see cref="FileSystemImport.RehearseAsync"/>).
/// </summary>
internal sealed class Importer(IDocumentStore store, IBlobStore blobs, long maxBytes, string actor, string reason, ImportReport report,
    Rehearsal? rehearsal = null)
{
    /// <summary>Who runs the import and why, with one correlation id for the whole run.</summary>
    private readonly Caller _caller = new(actor, "import-" + Guid.NewGuid().ToString("N")[..12], reason);

    /// <summary>The store's clock, for the facts the import decides (when registered, created, moved): the clock that stamps its
    /// events too, whether a file goes alone (Marten's append) or in a group (<see cref="RegistrationBatch"/>).</summary>
    private readonly TimeProvider _clock = CatalogStore.ClockOf(store);

    public ImportReport Report => report;

    /// <summary>Productions created together: one transaction (and one wait for the views) for this many.</summary>
    private const int ProductionsPerCommit = 256;

    /// <summary>
    /// Creates each production unless it is there already (skipped) or deleted (a conflict), many in one transaction; a
    /// refused one leaves its neighbours alone. When the commit loses a race (someone else created or changed one of them
    /// meanwhile) it appended nothing, and each is imported again on its own.
    /// </summary>
    /// <returns>For each, whether it is live now (created, or there already), in order.</returns>
    public async Task<bool[]> ImportProductionsAsync(IReadOnlyList<(ImportProduction Command, string Item)> productions, CancellationToken ct)
    {
        var live = new bool[productions.Count];
        for (var start = 0; start < productions.Count; start += ProductionsPerCommit)
        {
            var chunk = productions.Skip(start).Take(ProductionsPerCommit).ToList();
            var outcomes = new (ImportOutcome Outcome, string? Message)[chunk.Count];
            try
            {
                await using var writes = await WriteSession.OpenAsync(store, rehearsal, ct);
                var session = writes.Session;
                var there = new HashSet<string>(StringComparer.Ordinal); // created or found by this chunk
                for (var i = 0; i < chunk.Count; i++)
                {
                    var id = chunk[i].Command.ProductionId;
                    // A second file with the same production: live once the first is.
                    outcomes[i] = there.Contains(id) ? (ImportOutcome.Skipped, null) : await DecideAsync(session, chunk[i].Command, ct);
                    if (IsLive(outcomes[i].Outcome)) there.Add(id);
                }
                await session.SaveChangesAsync(ct); // a rehearsal's sent and undone
            }
            catch (Exception e) when (chunk.Count > 1 && Streams.IsRace(e))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    await using var writes = await WriteSession.OpenAsync(store, rehearsal, ct);
                    outcomes[i] = await DecideAsync(writes.Session, chunk[i].Command, ct);
                    if (outcomes[i].Outcome == ImportOutcome.Registered) await writes.Session.SaveChangesAsync(ct);
                }
            }
            for (var i = 0; i < chunk.Count; i++)
            {
                report.Production(chunk[i].Item, outcomes[i].Outcome, outcomes[i].Message);
                live[start + i] = IsLive(outcomes[i].Outcome);
            }
        }
        return live;

        static bool IsLive(ImportOutcome outcome) => outcome is ImportOutcome.Registered or ImportOutcome.Skipped;
    }

    /// <summary>One production decided in the session (its event queued when it is to be created), or why not.</summary>
    private async Task<(ImportOutcome, string?)> DecideAsync(IDocumentSession session, ImportProduction command, CancellationToken ct)
    {
        try
        {
            var created = await ProductionCommands.DecideAsync(session, command, _caller, _clock, ct);
            return (created ? ImportOutcome.Registered : ImportOutcome.Skipped, null);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            return (ImportOutcome.Conflict, $"production '{command.ProductionId}' was deleted from the catalog; restore it or purge it, then import again");
        }
        catch (DomainException e)
        {
            return (ImportOutcome.Failed, e.Message);
        }
    }

    /// <summary>Whether a live production has this id (assets may be linked to it).</summary>
    public async Task<bool> ProductionIsLiveAsync(string productionId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ProductionView>(productionId, ct) is not null;
    }

    /// <summary>The live asset holding this filename, if any.</summary>
    public async Task<AssetView<TMetadata>?> FindAsync<TMetadata>(string filename, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        await using var session = store.QuerySession();
        return await AssetCommands.FindByFilenameAsync<TMetadata>(session, filename, ct);
    }

    /// <summary>The live assets of one kind holding any of these filenames, in one query (a batch's rows looked up at once).</summary>
    public async Task<IReadOnlyDictionary<string, AssetView<TMetadata>>> FindAllAsync<TMetadata>(string[] filenames, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        if (filenames.Length == 0) return new Dictionary<string, AssetView<TMetadata>>();
        await using var session = store.QuerySession();
        return await FindAllAsync<TMetadata>(session, filenames, ct);
    }

    private static async Task<Dictionary<string, AssetView<TMetadata>>> FindAllAsync<TMetadata>(IQuerySession session, string[] filenames, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        (await session.Query<AssetView<TMetadata>>().Where(x => x.Filename.IsOneOf(filenames)).ToListAsync(ct)).ToDictionary(v => v.Filename, StringComparer.Ordinal);

    /// <summary>The live assets holding any of these filenames, of every kind, in one query per kind (a batch's files looked up at once).</summary>
    /// <returns>Each found view (an <c>AssetView&lt;TMetadata&gt;</c> of its kind) by kind and filename.</returns>
    public async Task<IReadOnlyDictionary<(AssetKind Kind, string Filename), object>> FindAllAsync(IReadOnlyCollection<string> filenames, CancellationToken ct)
    {
        var found = new Dictionary<(AssetKind, string), object>();
        if (filenames.Count == 0) return found;
        await using var session = store.QuerySession();
        foreach (var kind in AssetKinds.All)
            foreach (var (filename, view) in await kind.Accept(new FindAll(session, filenames.ToArray(), ct)))
                found[(kind.Kind, filename)] = view;
        return found;
    }

    private sealed record FindAll(IQuerySession Session, string[] Filenames, CancellationToken Ct) : IAssetKindVisitor<Task<IReadOnlyList<(string, object)>>>
    {
        public async Task<IReadOnlyList<(string, object)>> Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            (await FindAllAsync<TMetadata>(Session, Filenames, Ct)).Select(v => (v.Key, (object)v.Value)).ToList();
    }

    /// <summary>
    /// An asset whose filename is taken: the same bytes are a skip (and the asset is put into
    /// <paramref name="productionId"/> when it is in none), other bytes a conflict.
    /// </summary>
    /// <returns>True when the catalog holds these very bytes under this filename.</returns>
    public async Task<bool> AlreadyThereAsync<TMetadata>(string item, AssetView<TMetadata> existing, Stream content, string? productionId, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
        report.Read(content.Length);
        if (sha256 != existing.Sha256)
        {
            report.Item(item, ImportOutcome.Conflict,
                $"the filename '{existing.Filename}' is taken by {TMetadata.Kind.Name()} #{existing.Id} with other bytes (sha256 {existing.Sha256[..12]}…, this file {sha256[..12]}…); left alone");
            return false;
        }

        report.Item(item, ImportOutcome.Skipped);
        if (productionId is not null && existing.ProductionId is null && rehearsal is null) await LinkAsync<TMetadata>(item, existing.Id, productionId, ct);
        return true;
    }

    /// <summary>
    /// Stages the bytes (not yet flushed: the batch's commit flushes them all at once) and makes the registration they
    /// describe, ready to be registered alone or in a batch; null when refused (reported).
    /// </summary>
    public async Task<PendingAsset?> StageAsync<TMetadata>(string item, Stream content, Func<StagedBlob, ValueTask<RegisterAsset<TMetadata>?>> command,
        long? wantedId, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        StagedBlob staged;
        try
        {
            staged = await blobs.StageAsync(content, maxBytes, ct, flush: false);
        }
        catch (BlobTooLargeException e)
        {
            report.Item(item, ImportOutcome.Failed, e.Message);
            return null;
        }
        report.Read(staged.Length);
        RegisterAsset<TMetadata>? registration;
        try
        {
            registration = await command(staged);
        }
        catch
        {
            await staged.DisposeAsync();
            throw;
        }
        if (registration is null)
        {
            await staged.DisposeAsync();
            return null;
        }
        return new PendingAsset(item, registration.ProductionId is not null, new PendingRegistration(TMetadata.Kind, staged, registration.ProductionId,
            (session, batch, token) => AssetCommands.DecideAsync(session, registration, staged, _caller, _clock, token, wantedId, batch), wantedId));
    }

    /// <summary>
    /// Registers staged files with one commit (<see cref="AssetCommands.RegisterGroupAsync"/>): each is reported registered,
    /// refused (its neighbours go on), or a conflict when someone else took its filename or id at the same moment.
    /// </summary>
    public async Task RegisterAsync(IReadOnlyList<PendingAsset> batch, CancellationToken ct)
    {
        var outcomes = await AssetCommands.RegisterGroupAsync(store, blobs, batch.Select(p => p.Registration).ToList(), _caller, ct, rehearsal);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Id = outcomes[i].Id;
            switch (outcomes[i].Refusal)
            {
                case DomainException error:
                    report.Item(batch[i].Item, error.Kind == DomainErrorKind.Conflict ? ImportOutcome.Conflict : ImportOutcome.Failed, error.Message);
                    break;
                case { } race:
                    report.Item(batch[i].Item, ImportOutcome.Conflict, $"changed by someone else at the same moment ({race.GetType().Name}); nothing appended — run the import again");
                    break;
            }
        }
        foreach (var pending in batch.Where(p => p.Id is not null))
        {
            report.Item(pending.Item, ImportOutcome.Registered);
            report.Registered(pending.Blob.Length, linked: pending.Linked);
        }
    }

    private async Task LinkAsync<TMetadata>(string item, long assetId, string productionId, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        await using var session = store.LightweightSession();
        try
        {
            await AssetCommands.HandleAsync(session, new MoveAsset<TMetadata>(assetId, productionId), _caller, _clock, ct);
            report.LinkedLater();
        }
        catch (DomainException e)
        {
            report.Unlinked(item, $"not put into production '{productionId}': {e.Message}");
        }
    }

    /// <summary>
    /// Deletes an imported source file once the catalog holds it: the blob the event names is read back from the
    /// store and its sha256 checked first. A file that changed since is kept.
    /// </summary>
    public async Task DeleteSourceAsync(string item, string path, string sha256, CancellationToken ct)
    {
        await using (var stored = await blobs.OpenReadAsync(sha256, ct))
        {
            if (stored is null || Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, ct)) != sha256)
            {
                report.Item(item, ImportOutcome.Failed, "kept the source: the stored copy did not read back with the same sha256");
                return;
            }
        }
        await using (var source = File.OpenRead(path))
        {
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct)) != sha256)
            {
                report.Item(item, ImportOutcome.Failed, "kept the source: it changed while it was imported");
                return;
            }
        }
        File.Delete(path);
        report.SourceDeleted();
    }

    /// <summary>
    /// Waits for the oldest commits until at most <paramref name="left"/> are in flight. When one fails, every other is waited
    /// for too (none is left running behind the import's end), and the first failure is thrown.
    /// </summary>
    public static async Task AwaitCommitsAsync(Queue<Task> committing, int left)
    {
        while (committing.Count > left)
        {
            try
            {
                await committing.Dequeue();
            }
            catch
            {
                await SettleAsync(committing);
                throw;
            }
        }
    }

    /// <summary>
    /// Makes sure the thread pool has a thread for each of an import's <paramref name="workers"/> (its readers and the commits in
    /// flight) besides one per core, from the start: each blocks in file I/O a while (a direct write waits for the disk, a
    /// batch's flush for all of it), and the pool starts with a thread per core and adds more only as it measures the need —
    /// with two cores, four readers and two commits shared two threads through a whole import, the cores idle while both
    /// waited (BENCHMARKS.md, "An import's threads"). Raises the pool's minimum, never lowers it.
    /// </summary>
    public static void MakeRoomFor(int workers)
    {
        ThreadPool.GetMinThreads(out var threads, out var completionPorts);
        var wanted = workers + Environment.ProcessorCount;
        if (threads < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    /// <summary>Waits for every commit still in flight, whatever its end (the import has already failed or is cancelled).</summary>
    public static async Task SettleAsync(Queue<Task> committing)
    {
        while (committing.TryDequeue(out var commit)) await commit.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}

/// <summary>A file of an import staged and its registration decided-to-be, waiting for its batch's commit.</summary>
internal sealed class PendingAsset(string item, bool linked, PendingRegistration registration) : IAsyncDisposable
{
    public string Item { get; } = item;
    public PendingRegistration Registration { get; } = registration;
    public StagedBlob Blob => Registration.Blob;
    public bool Linked { get; } = linked;

    /// <summary>The id registered, once committed.</summary>
    public long? Id { get; set; }

    public ValueTask DisposeAsync() => Blob.DisposeAsync();
}
