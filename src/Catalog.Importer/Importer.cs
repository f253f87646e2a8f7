using System.Security.Cryptography;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Application;
using Catalog.Application.Assets;
using Catalog.Application.Productions;
using Catalog.Domain.Productions;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Views;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace Catalog.Importer;

/// <summary>
/// The steps both imports share: a production in, an asset in (or skipped when its filename already holds the
/// same bytes, or a conflict when it holds others), and the source removed only once the catalog holds it.
/// Every step is one transaction of ordinary events with who ran the import and why, so a failure appends
/// nothing and a re-run continues where a killed one stopped.
/// </summary>
internal sealed class Importer(IDocumentStore store, IBlobStore blobs, long maxBytes, string actor, string reason, ImportReport report)
{
    /// <summary>Who runs the import and why, with one correlation id for the whole run.</summary>
    private readonly Caller _caller = new(actor, "import-" + Guid.NewGuid().ToString("N")[..12], reason);

    public ImportReport Report => report;

    /// <summary>Creates the production unless it is there already (skipped) or deleted (a conflict).</summary>
    public async Task<bool> ImportProductionAsync(ImportProduction command, string item, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        try
        {
            var created = await ProductionCommands.HandleAsync(session, command, _caller, TimeProvider.System, ct);
            report.Production(item, created ? ImportOutcome.Registered : ImportOutcome.Skipped);
            return true;
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            report.Production(item, ImportOutcome.Conflict,
                $"production '{command.ProductionId}' was deleted from the catalog; restore it or purge it, then import again");
            return false;
        }
        catch (DomainException e)
        {
            report.Production(item, ImportOutcome.Failed, e.Message);
            return false;
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
        if (productionId is not null && existing.ProductionId is null) await LinkAsync<TMetadata>(item, existing.Id, productionId, ct);
        return true;
    }

    /// <summary>Stages the bytes, registers the asset the staged bytes make, commits.</summary>
    /// <param name="command">The registration, made from the staged bytes (null after reporting why not).</param>
    /// <returns>The id and sha256 registered, or null when refused (reported; nothing appended).</returns>
    public async Task<(long Id, string Sha256)?> RegisterAsync<TMetadata>(string item, Stream content,
        Func<StagedBlob, RegisterAsset<TMetadata>?> command, long? wantedId, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        StagedBlob staged;
        try
        {
            staged = await blobs.StageAsync(content, maxBytes, ct);
        }
        catch (BlobTooLargeException e)
        {
            report.Item(item, ImportOutcome.Failed, e.Message);
            return null;
        }

        await using (staged)
        {
            report.Read(staged.Length);
            var registration = command(staged);
            if (registration is null) return null;
            await using var session = store.LightweightSession();
            try
            {
                var id = await AssetCommands.HandleAsync(session, registration, staged, _caller, TimeProvider.System, ct, wantedId);
                report.Item(item, ImportOutcome.Registered);
                report.Registered(staged.Length, linked: registration.ProductionId is not null);
                return (id, staged.Sha256);
            }
            catch (DomainException e)
            {
                report.Item(item, e.Kind == DomainErrorKind.Conflict ? ImportOutcome.Conflict : ImportOutcome.Failed, e.Message);
                return null;
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException or ExistingStreamIdCollisionException or ConcurrencyException)
            {
                // Someone else (an upload, another import) took the filename, the id or the production meanwhile.
                report.Item(item, ImportOutcome.Conflict, $"changed by someone else at the same moment ({e.GetType().Name}); nothing appended — run the import again");
                return null;
            }
        }
    }

    private async Task LinkAsync<TMetadata>(string item, long assetId, string productionId, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        await using var session = store.LightweightSession();
        try
        {
            await AssetCommands.HandleAsync(session, new MoveAsset<TMetadata>(assetId, productionId), _caller, TimeProvider.System, ct);
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
}
