using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using JasperFx.Events;
using Marten;

namespace Catalog.Application.Assets;

/// <summary>
/// The handlers of an asset's commands, one per command, for every way in: stamp who and why, load (and lock the
/// production the outcome depends on), decide with the domain's pure rules, append once. A refused command appends
/// nothing. Registration, which also stores the bytes, is in <c>RegisterAsset.cs</c>.
/// </summary>
public static partial class AssetCommands
{
    public static Task HandleAsync<TMetadata>(IDocumentSession session, CorrectAssetMetadata<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, command.ExpectedVersion, caller, ct,
            (stream, _) => Task.FromResult<object>(AssetDecisions.Correct(stream.Aggregate, command, caller.Actor, clock.GetUtcNow())));

    /// <summary>Into a production, which is locked until commit so it cannot be deleted meanwhile.</summary>
    public static Task HandleAsync<TMetadata>(IDocumentSession session, MoveAsset<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, command.ExpectedVersion, caller, ct, async (stream, token) =>
        {
            AssetDecisions.Live(stream.Aggregate, command.AssetId);
            var production = await Streams.LockReferencedProductionAsync(session, command.ProductionId, token);
            return AssetDecisions.Move(stream.Aggregate, command, production, caller.Actor, clock.GetUtcNow());
        });

    public static Task HandleAsync<TMetadata>(IDocumentSession session, DetachAsset<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, command.ExpectedVersion, caller, ct,
            (stream, _) => Task.FromResult<object>(AssetDecisions.Detach(stream.Aggregate, command, caller.Actor, clock.GetUtcNow())));

    /// <summary>Into the trash: it leaves the views (and the export); its events, and its bytes, stay until a purge.</summary>
    public static Task HandleAsync<TMetadata>(IDocumentSession session, DeleteAsset<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, command.ExpectedVersion, caller, ct,
            (stream, _) => Task.FromResult<object>(AssetDecisions.Delete(stream.Aggregate, command, caller.Actor, clock.GetUtcNow())));

    /// <summary>
    /// Back from the trash with its id, filename, metadata and bytes: a conflict when its filename was taken meanwhile, or
    /// when its production is not live (restoring the production brings back the assets deleted with it).
    /// </summary>
    public static Task HandleAsync<TMetadata>(IDocumentSession session, RestoreAsset<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, null, caller, ct, async (stream, token) =>
        {
            var asset = AssetDecisions.Trashed(stream.Aggregate, command.AssetId);
            var production = asset.ProductionId is { } productionId ? await Streams.LockReferencedProductionAsync(session, productionId, token) : null;
            await RequireFilenameFreeAsync(session, asset, token);
            return AssetDecisions.Restore(stream.Aggregate, command, production, caller.Actor, clock.GetUtcNow());
        });

    /// <summary>Emptied from the trash for good (the purge's step for an asset).</summary>
    public static Task HandleAsync<TMetadata>(IDocumentSession session, PurgeAsset<TMetadata> command, Caller caller, TimeProvider clock,
        CancellationToken ct) where TMetadata : IAssetMetadata =>
        ChangeAsync<TMetadata>(session, command.AssetId, null, caller, ct,
            (stream, _) => Task.FromResult<object>(AssetDecisions.Purge(stream.Aggregate, command, caller.Actor, clock.GetUtcNow())));

    /// <summary>A trashed asset's filename must still be free to come back (the unique index backs this inside the transaction).</summary>
    public static async Task RequireFilenameFreeAsync<TMetadata>(IQuerySession session, Asset<TMetadata> asset, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        if (await FindByFilenameAsync<TMetadata>(session, asset.Filename, ct) is { } holder)
        {
            var kind = AssetKinds.Of<TMetadata>();
            throw DomainException.Conflict(
                $"The filename '{asset.Filename}' of {kind.Name} {asset.AssetId} was taken meanwhile by {kind.Name} {holder.Id}; rename or delete that one first.");
        }
    }

    /// <summary>The shape of every change to one existing asset: load, check the version, decide, append.</summary>
    private static async Task ChangeAsync<TMetadata>(IDocumentSession session, long assetId, long? expectedVersion, Caller caller, CancellationToken ct,
        Func<IEventStream<Asset<TMetadata>>, CancellationToken, Task<object>> decide) where TMetadata : IAssetMetadata
    {
        caller.Stamp(session);
        var stream = await Streams.AssetAsync<TMetadata>(session, assetId, expectedVersion, ct);
        stream.AppendOne(await decide(stream, ct));
        await session.SaveChangesAsync(ct);
    }
}
