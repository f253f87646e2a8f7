namespace Catalog.Domain.Assets;

/// <summary>
/// Every event of an asset stream names its asset. The events are generic over the kind's metadata, so
/// one set of records, one aggregate and one projection serve images, videos and audio; each closed type
/// is stored under its own name (<c>image.registered</c>, <c>video.deleted</c>, …).
/// </summary>
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
