using Catalog.Domain.Productions;

namespace Catalog.Domain.Assets;

// An asset's stream (image:{id}, video:{id}, audio:{id}), in one place: what can be asked of it (commands), what
// happened to it (events), what that adds up to (the state) and the rules in between (the decisions). The records
// are generic over the kind's metadata, so one set serves every kind; each closed type is stored under its own
// name (image.registered, video.trashed, …).

/// <summary>
/// The bytes of an asset as the blob store holds them: addressed by their SHA-256 (lower-case hex), with their length
/// and the MIME type read from their first bytes. Events carry this, never the bytes.
/// </summary>
public sealed record StoredContent(string Sha256, long ByteSize, string MimeType);

// ---------------------------------------------------------------------------------------------------- commands

/// <param name="CreatedAt">The seed's created_at when the caller knows it (e.g. an older file); else the registration time.</param>
public sealed record RegisterAsset<TMetadata>(
    string Filename, string? ProductionId, TMetadata Metadata, StoredContent Content, DateTimeOffset? CreatedAt)
    where TMetadata : IAssetMetadata;

/// <summary>Some of the kind's columns changed (a null value clears one); the others stay.</summary>
public sealed record CorrectAssetMetadata<TMetadata>(long AssetId, IReadOnlyDictionary<string, object?> Changes, long? ExpectedVersion = null)
    where TMetadata : IAssetMetadata;

public sealed record MoveAsset<TMetadata>(long AssetId, string ProductionId, long? ExpectedVersion = null) where TMetadata : IAssetMetadata;

public sealed record DetachAsset<TMetadata>(long AssetId, long? ExpectedVersion = null) where TMetadata : IAssetMetadata;

public sealed record DeleteAsset<TMetadata>(long AssetId, long? ExpectedVersion = null) where TMetadata : IAssetMetadata;

public sealed record RestoreAsset<TMetadata>(long AssetId) where TMetadata : IAssetMetadata;

public sealed record PurgeAsset<TMetadata>(long AssetId) where TMetadata : IAssetMetadata;

// ------------------------------------------------------------------------------------------------------ events

/// <summary>Every event of an asset stream names its asset.</summary>
public interface IAssetEvent
{
    long AssetId { get; }
}

/// <summary>An event of an asset of one kind (so a projection of images never sees a video's events).</summary>
public interface IAssetEvent<TMetadata> : IAssetEvent where TMetadata : IAssetMetadata;

/// <param name="CreatedAt">The seed's <c>created_at</c>: when the asset was made (given by the caller, else the registration time).</param>
public sealed record AssetRegistered<TMetadata>(
    long AssetId, string Filename, string? ProductionId, TMetadata Metadata, StoredContent Content,
    DateTimeOffset CreatedAt, string RegisteredBy, DateTimeOffset RegisteredAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

/// <summary>The kind's descriptive columns after the correction, in full.</summary>
public sealed record AssetMetadataCorrected<TMetadata>(
    long AssetId, TMetadata Metadata, string CorrectedBy, DateTimeOffset CorrectedAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

public sealed record AssetMovedToProduction<TMetadata>(
    long AssetId, string ProductionId, string? PreviousProductionId, string MovedBy, DateTimeOffset MovedAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

public sealed record AssetDetachedFromProduction<TMetadata>(
    long AssetId, string PreviousProductionId, string DetachedBy, DateTimeOffset DetachedAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

/// <summary>
/// Deleted: the asset left the views and went to the trash. Stored as <c>{kind}.trashed</c> since deleting became
/// restorable; older <c>{kind}.deleted</c> events are read as this (an upcaster).
/// </summary>
/// <param name="CascadedFromProductionId">Set when the asset went because its production was deleted (the seed's ON DELETE CASCADE).</param>
public sealed record AssetTrashed<TMetadata>(
    long AssetId, string? CascadedFromProductionId, string TrashedBy, DateTimeOffset TrashedAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

/// <summary>Back from the trash with the same id and filename, in full (the view is rebuilt from these facts).</summary>
public sealed record AssetRestored<TMetadata>(
    long AssetId, string Filename, string? ProductionId, TMetadata Metadata, StoredContent Content,
    DateTimeOffset CreatedAt, string RestoredBy, DateTimeOffset RestoredAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

/// <summary>Emptied from the trash: it can no longer be restored, and its bytes may leave the blob store. Its history stays.</summary>
public sealed record AssetPurged<TMetadata>(
    long AssetId, string Sha256, string PurgedBy, DateTimeOffset PurgedAt) : IAssetEvent<TMetadata>
    where TMetadata : IAssetMetadata;

// ------------------------------------------------------------------------------------------------------- state

/// <summary>The write-side state of one asset of any kind, in full so a restore can bring it back.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Asset{TMetadata}"/>); the event store identifies the state by it.</param>
/// <param name="IsDeleted">In the trash (or purged from it).</param>
public sealed record Asset<TMetadata>(string Key, long AssetId, string Filename, string? ProductionId, TMetadata Metadata, bool IsDeleted)
    where TMetadata : IAssetMetadata
{
    /// <summary>The asset's stream: <c>{kind}:{id}</c> (<c>image:7</c>).</summary>
    public static string StreamKey(long assetId) => TMetadata.Kind.StreamKey(assetId);

    public StoredContent Content { get; init; } = null!;
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Purged from the trash: gone for good, but for its history.</summary>
    public bool IsPurged { get; init; }

    /// <summary>The state after one more event (null before the stream's first event).</summary>
    public static Asset<TMetadata>? Evolve(Asset<TMetadata>? state, object @event) => (state, @event) switch
    {
        (null, AssetRegistered<TMetadata> e) => new Asset<TMetadata>(Asset<TMetadata>.StreamKey(e.AssetId), e.AssetId, e.Filename, e.ProductionId, e.Metadata, false)
        {
            Content = e.Content,
            CreatedAt = e.CreatedAt,
        },
        (not null, AssetMetadataCorrected<TMetadata> e) => state with { Metadata = e.Metadata },
        (not null, AssetMovedToProduction<TMetadata> e) => state with { ProductionId = e.ProductionId },
        (not null, AssetDetachedFromProduction<TMetadata>) => state with { ProductionId = null },
        (not null, AssetTrashed<TMetadata>) => state with { IsDeleted = true },
        (not null, AssetRestored<TMetadata>) => state with { IsDeleted = false },
        (not null, AssetPurged<TMetadata>) => state with { IsPurged = true },
        _ => state,
    };
}

// --------------------------------------------------------------------------------------------------- decisions

/// <summary>
/// The asset rules for every kind, as pure functions: given the state (null when the stream does not exist), the
/// command, any production it names, who asks and when, they return the event to append or throw a
/// <see cref="DomainException"/>. The id of a new asset comes from the kind's sequence.
/// </summary>
public static class AssetDecisions
{
    /// <summary>
    /// The rules of a registration's own input (filename, metadata, content), so a caller can refuse bad input
    /// before it loads anything or takes a number from the sequence. <see cref="Register{TMetadata}"/> applies them again.
    /// </summary>
    public static void Validate<TMetadata>(RegisterAsset<TMetadata> command)
        where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        var problems = new List<string>();
        if (AssetFilenames.Problem(command.Filename) is { } filenameProblem) problems.Add(filenameProblem);
        problems.AddRange(command.Metadata.Problems());
        if (problems.Count > 0) throw DomainException.Invalid(string.Join(" ", problems));

        var content = command.Content;
        if (content.ByteSize <= 0) throw DomainException.Invalid("The file is empty.");
        if (!content.MimeType.StartsWith(kind.MimePrefix, StringComparison.Ordinal))
            throw DomainException.Invalid($"The content of {kind.Article} must be {kind.MimePrefix}*, not {content.MimeType}.");
    }

    public static AssetRegistered<TMetadata> Register<TMetadata>(
        RegisterAsset<TMetadata> command, long assetId, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        Validate(command);
        if (command.ProductionId is { } productionId) RequireProduction(production, productionId);
        return new AssetRegistered<TMetadata>(assetId, command.Filename, command.ProductionId, command.Metadata, command.Content,
            command.CreatedAt ?? now, by, now);
    }

    public static AssetMetadataCorrected<TMetadata> Correct<TMetadata>(
        Asset<TMetadata>? state, CorrectAssetMetadata<TMetadata> command, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, command.AssetId);
        var metadata = AssetKinds.Of<TMetadata>().With(asset.Metadata, command.Changes);
        var problems = metadata.Problems().ToList();
        if (problems.Count > 0) throw DomainException.Invalid(string.Join(" ", problems));
        return new AssetMetadataCorrected<TMetadata>(asset.AssetId, metadata, by, now);
    }

    /// <param name="production">The production the command names, as it is now (null when it never existed).</param>
    public static AssetMovedToProduction<TMetadata> Move<TMetadata>(
        Asset<TMetadata>? state, MoveAsset<TMetadata> command, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, command.AssetId);
        RequireProduction(production, command.ProductionId);
        if (asset.ProductionId == command.ProductionId)
            throw DomainException.Conflict($"{AssetKinds.Of<TMetadata>().Describe(command.AssetId)} is already in production '{command.ProductionId}'.");
        return new AssetMovedToProduction<TMetadata>(asset.AssetId, command.ProductionId, asset.ProductionId, by, now);
    }

    public static AssetDetachedFromProduction<TMetadata> Detach<TMetadata>(
        Asset<TMetadata>? state, DetachAsset<TMetadata> command, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, command.AssetId);
        if (asset.ProductionId is not { } current)
            throw DomainException.Conflict($"{AssetKinds.Of<TMetadata>().Describe(command.AssetId)} is not in a production.");
        return new AssetDetachedFromProduction<TMetadata>(asset.AssetId, current, by, now);
    }

    public static AssetTrashed<TMetadata> Delete<TMetadata>(Asset<TMetadata>? state, DeleteAsset<TMetadata> command, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata =>
        new(Live(state, command.AssetId).AssetId, null, by, now);

    /// <summary>The asset goes with its production (the seed's ON DELETE CASCADE): the event names the production.</summary>
    public static AssetTrashed<TMetadata> Cascade<TMetadata>(Asset<TMetadata>? state, long assetId, string productionId, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata =>
        new(Live(state, assetId).AssetId, productionId, by, now);

    /// <summary>
    /// Back from the trash with its id, filename, metadata and bytes. Its production, if it had one, must be live
    /// (restore the production first: that brings back the assets deleted with it).
    /// </summary>
    /// <param name="production">The asset's production as it is now, if it has one.</param>
    public static AssetRestored<TMetadata> Restore<TMetadata>(
        Asset<TMetadata>? state, RestoreAsset<TMetadata> command, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Trashed(state, command.AssetId);
        if (asset.ProductionId is { } productionId && (production is null || production.IsDeleted))
            throw DomainException.Conflict(
                $"{AssetKinds.Of<TMetadata>().Describe(command.AssetId)} belongs to production '{productionId}', which is not live: restore the production first.");
        return new AssetRestored<TMetadata>(asset.AssetId, asset.Filename, asset.ProductionId, asset.Metadata, asset.Content,
            asset.CreatedAt, by, now);
    }

    /// <summary>Emptied from the trash for good; the event names the bytes that may now leave the blob store.</summary>
    public static AssetPurged<TMetadata> Purge<TMetadata>(Asset<TMetadata>? state, PurgeAsset<TMetadata> command, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Trashed(state, command.AssetId);
        return new AssetPurged<TMetadata>(asset.AssetId, asset.Content.Sha256, by, now);
    }

    /// <summary>The asset a restore or a purge addresses: in the trash, not purged.</summary>
    public static Asset<TMetadata> Trashed<TMetadata>(Asset<TMetadata>? state, long assetId)
        where TMetadata : IAssetMetadata => state switch
    {
        null or { IsPurged: true } => throw DomainException.NotFound($"{AssetKinds.Of<TMetadata>().Describe(assetId)} is not in the trash."),
        { IsDeleted: false } => throw DomainException.Conflict($"{AssetKinds.Of<TMetadata>().Describe(assetId)} is not in the trash; there is nothing to restore."),
        _ => state,
    };

    public static Asset<TMetadata> Live<TMetadata>(Asset<TMetadata>? state, long assetId)
        where TMetadata : IAssetMetadata =>
        state is null || state.IsDeleted
            ? throw DomainException.NotFound($"{AssetKinds.Of<TMetadata>().Describe(assetId)} does not exist.")
            : state;

    /// <summary>An asset may only go into a production that exists and is not deleted (422 otherwise).</summary>
    public static void RequireProduction(Production? production, string productionId)
    {
        if (production is null || production.IsDeleted)
            throw DomainException.Unprocessable($"Production '{productionId}' does not exist.");
    }
}
