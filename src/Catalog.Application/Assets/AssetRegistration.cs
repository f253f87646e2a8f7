using Catalog.Application.Trash;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Application.Assets;

/// <summary>
/// Registering an asset, for every way in (the API's upload, the imports): the rules, the filename's
/// uniqueness, the production's lock, the id, then the bytes made durable and only then the
/// <c>*.registered</c> event. Nothing is appended when a rule refuses; the caller's <see cref="IDocumentSession"/>
/// commits.
/// </summary>
public static class AssetRegistration
{
    /// <summary>The live asset of this kind with this filename, if any.</summary>
    public static Task<AssetView<TMetadata>?> FindByFilenameAsync<TMetadata>(IQuerySession session, string filename, CancellationToken ct)
        where TMetadata : IAssetMetadata =>
        session.Query<AssetView<TMetadata>>().FirstOrDefaultAsync(x => x.Filename == filename, ct);

    /// <summary>
    /// Decides the registration and stages its event in <paramref name="session"/>, after committing <paramref name="blob"/>.
    /// </summary>
    /// <param name="wantedId">
    /// An id to keep (an import's): taken when no asset of the kind ever had it, else the next id from the sequence.
    /// </param>
    /// <returns>The asset's id.</returns>
    public static async Task<long> RegisterAsync<TMetadata>(IDocumentSession session, RegisterAsset<TMetadata> command, StagedBlob blob,
        string actor, DateTimeOffset now, CancellationToken ct, long? wantedId = null)
        where TMetadata : IAssetMetadata
    {
        // Cheap refusals first, before a number is taken from the sequence.
        AssetDecisions.Validate(command);
        if (await FindByFilenameAsync<TMetadata>(session, command.Filename, ct) is not null)
            throw DomainException.Conflict(
                $"The filename '{command.Filename}' is already taken by {TMetadata.Kind.WithArticle()}; nothing was appended.");

        // Registering into a production locks its stream until commit, so it cannot be deleted meanwhile.
        Production? production = null;
        if (command.ProductionId is { } productionId)
        {
            var stream = await session.Events.FetchForExclusiveWriting<Production>(StreamKeys.Production(productionId), ct);
            production = stream.Aggregate;
            AssetDecisions.RequireProduction(production, productionId);
        }

        var id = wantedId is { } wanted && await AssetIds.TryClaimAsync(session, TMetadata.Kind, wanted, ct)
            ? wanted
            : await AssetIds.NextAsync(session, TMetadata.Kind, ct);
        var registered = AssetDecisions.Register(command, id, production, actor, now);

        await BlobSweep.HoldOffAsync(session, ct); // no sweep between the blob's commit and the event's
        await blob.CommitAsync(ct); // durable before the event that names it
        session.Events.StartStream<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(id), registered);
        return id;
    }
}
