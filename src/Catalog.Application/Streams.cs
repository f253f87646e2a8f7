using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace Catalog.Application;

/// <summary>
/// Loading a stream for a command. Marten folds the state with the domain's <c>Evolve</c> and, at
/// <c>SaveChangesAsync</c>, refuses the append if anyone else appended meanwhile (409). A command may also carry the
/// version its caller last saw (<c>expected_version</c>); a different current version is a 409 before anything is decided.
/// </summary>
public static class Streams
{
    /// <summary>A commit that failed because another writer changed the same rows or streams first: nothing was appended.</summary>
    public static bool IsRace(Exception e) => e is DocumentAlreadyExistsException or ExistingStreamIdCollisionException
            or Marten.Exceptions.ExistingStreamIdCollisionException or ConcurrencyException
        || (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState
            is Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.UniqueViolation;

    public static async Task<IEventStream<Production>> ProductionAsync(IDocumentSession session, string productionId, long? expectedVersion, CancellationToken ct)
    {
        RequireId(productionId);
        var stream = await session.Events.FetchForWriting<Production>(Production.StreamKey(productionId), ct);
        if (stream.Aggregate is { IsDeleted: false }) RequireVersion($"Production '{productionId}'", stream, expectedVersion);
        return stream;
    }

    public static async Task<IEventStream<Asset<TMetadata>>> AssetAsync<TMetadata>(IDocumentSession session, long assetId, long? expectedVersion, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var stream = await session.Events.FetchForWriting<Asset<TMetadata>>(Asset<TMetadata>.StreamKey(assetId), ct);
        if (stream.Aggregate is { IsDeleted: false }) RequireVersion(AssetKinds.Of<TMetadata>().Describe(assetId), stream, expectedVersion);
        return stream;
    }

    /// <summary>
    /// The production's stream, locked until the session's transaction ends: every command whose outcome depends on a
    /// production staying as it is (an asset registered, moved or restored into it; the production deleted or restored
    /// with its assets) takes this lock, so they cannot interleave. Null state when it never existed.
    /// </summary>
    public static async Task<IEventStream<Production>> LockProductionAsync(
        IDocumentSession session, string productionId, CancellationToken ct, long? expectedVersion = null)
    {
        RequireId(productionId);
        var stream = await session.Events.FetchForExclusiveWriting<Production>(Production.StreamKey(productionId), ct);
        if (stream.Aggregate is { IsDeleted: false }) RequireVersion($"Production '{productionId}'", stream, expectedVersion);
        return stream;
    }

    /// <summary>
    /// The production a command names by reference (an asset registered, moved or restored into it), locked like
    /// <see cref="LockProductionAsync"/>; null when there is no such production — nor could be: a reference that is not a
    /// production id at all is never looked up.
    /// </summary>
    public static async Task<Production?> LockReferencedProductionAsync(IDocumentSession session, string productionId, CancellationToken ct) =>
        ProductionDecisions.IsValidId(productionId) ? (await LockProductionAsync(session, productionId, ct)).Aggregate : null;

    /// <summary>Every production id has the pattern (<see cref="ProductionDecisions.IsValidId"/>); another string names none.</summary>
    private static void RequireId(string productionId)
    {
        if (!ProductionDecisions.IsValidId(productionId))
            throw DomainException.NotFound($"There is no production '{productionId}': production ids are 1-128 letters, digits, '_', '.' or '-'.");
    }

    private static void RequireVersion<T>(string what, IEventStream<T> stream, long? expected) where T : class
    {
        // Checked on live streams only: a missing or deleted one is the decision's to refuse (404).
        if (expected is { } wanted && wanted != (stream.CurrentVersion ?? 0))
            throw DomainException.Conflict(
                $"{what} is at version {stream.CurrentVersion ?? 0}, not the expected {wanted}; nothing was appended. Read it again and retry.");
    }
}
