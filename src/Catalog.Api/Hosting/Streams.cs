using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Marten;
using JasperFx.Events;

namespace Catalog.Api.Hosting;

/// <summary>
/// Loading a stream for a command. Marten folds the state with the domain's <c>Evolve</c> and, at
/// <c>SaveChangesAsync</c>, refuses the append if anyone else appended meanwhile (409). A caller may
/// also say which version it last saw (<c>?expected_version=N</c>); a different current version is a 409 too.
/// </summary>
public static class Streams
{
    /// <param name="exclusive">
    /// Lock the production's stream row until the transaction ends: used by the commands whose outcome
    /// depends on the production staying alive (registering or moving an asset into it, deleting it with
    /// its assets), so they cannot interleave.
    /// </param>
    public static async Task<IEventStream<Production>> Production(
        IDocumentSession session, string productionId, long? expectedVersion, CancellationToken ct, bool exclusive = false)
    {
        var key = StreamKeys.Production(productionId);
        var stream = exclusive
            ? await session.Events.FetchForExclusiveWriting<Production>(key, ct)
            : await session.Events.FetchForWriting<Production>(key, ct);
        ProductionDecisions.Live(stream.Aggregate, productionId);
        RequireVersion($"Production '{productionId}'", stream.CurrentVersion, expectedVersion);
        return stream;
    }

    public static async Task<IEventStream<Asset<TMetadata>>> Asset<TMetadata>(
        IDocumentSession session, long assetId, long? expectedVersion, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var stream = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(assetId), ct);
        AssetDecisions.Live(stream.Aggregate, assetId);
        RequireVersion($"The {TMetadata.Kind.Name()} {assetId}", stream.CurrentVersion, expectedVersion);
        return stream;
    }

    private static void RequireVersion(string what, long? current, long? expected)
    {
        if (expected is { } wanted && wanted != (current ?? 0))
        {
            throw DomainException.Conflict(
                $"{what} is at version {current ?? 0}, not the expected {wanted}; nothing was appended. Read it again and retry.");
        }
    }
}
