using Catalog.Application.Blobs;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Projections.Views;
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
        if (command.Content.Sha256 != blob.Sha256 || command.Content.ByteSize != blob.Length)
            throw new ArgumentException("The command's content does not describe the staged bytes.", nameof(command));
        caller.Stamp(session);

        // Cheap refusals first, before a number is taken from the sequence: the input's rules, then bytes cut short.
        AssetDecisions.Validate(command);
        if (MediaIntegrity.Problem(blob.LocalPath, command.Content.MimeType) is { } damage)
            throw DomainException.Unprocessable($"The file is damaged — {damage}; nothing was kept.");
        if (await FindByFilenameAsync<TMetadata>(session, command.Filename, ct) is not null)
            throw DomainException.Conflict(
                $"The filename '{command.Filename}' is already taken by {AssetKinds.Of<TMetadata>().Article}; nothing was appended.");

        // Registering into a production locks its stream until commit, so it cannot be deleted meanwhile.
        var production = command.ProductionId is { } productionId ? await Streams.LockReferencedProductionAsync(session, productionId, ct) : null;

        var kind = TMetadata.Kind;
        var id = wantedId is { } wanted && await AssetIds.TryClaimAsync(session, kind, wanted, ct)
            ? wanted
            : await AssetIds.NextAsync(session, kind, ct);
        var registered = AssetDecisions.Register(command, id, production, caller.Actor, clock.GetUtcNow());

        await BlobSweep.HoldOffAsync(session, ct); // no sweep between the blob's commit and the event's
        await blob.CommitAsync(ct); // durable before the event that names it
        session.Events.StartStream<Asset<TMetadata>>(Asset<TMetadata>.StreamKey(id), registered);
        await session.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>The live asset of this kind with this filename, if any.</summary>
    public static Task<AssetView<TMetadata>?> FindByFilenameAsync<TMetadata>(IQuerySession session, string filename, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        session.Query<AssetView<TMetadata>>().FirstOrDefaultAsync(x => x.Filename == filename, ct);
}
