using Catalog.Domain.Assets;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Catalog.Projections.Views;

/// <summary>
/// A live asset of one kind: the seed's row without <c>binary_data</c> (the bytes stay in the blob
/// store, addressed by <see cref="Sha256"/>), plus the stream version (the expected_version a command may give).
/// Stored per kind as <c>image_view</c>, <c>video_view</c>, <c>audio_view</c>; its unique filename index
/// is what makes a second registration of a filename fail inside the append's transaction.
/// </summary>
/// <param name="Type">The kind's <c>*_type</c> (image_type, video_type, audio_type), kept beside the metadata so every kind filters on one column.</param>
public sealed record AssetView<TMetadata>(
    long Id,
    string Filename,
    string? ProductionId,
    string Type,
    TMetadata Metadata,
    string Sha256,
    long FileSize,
    string MimeType,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long StreamVersion)
    where TMetadata : IAssetMetadata
{
    /// <summary>Where the bytes are served.</summary>
    public string MediaUrl => $"/api/media/{TMetadata.Kind.Name()}/{Id}";
}

/// <summary>Inline, for every kind: registered or restored → row; corrected/moved/detached → row changed; trashed → row gone.</summary>
public sealed partial class AssetViewProjection<TMetadata> : MultiStreamProjection<AssetView<TMetadata>, long>
    where TMetadata : IAssetMetadata
{
    public AssetViewProjection()
    {
        Name = $"{TMetadata.Kind.Name()}_view";
        Identity<IAssetEvent<TMetadata>>(e => e.AssetId);
        DeleteEvent<AssetTrashed<TMetadata>>();
    }

    public static AssetView<TMetadata> Create(IEvent<AssetRegistered<TMetadata>> e) => new(
        e.Data.AssetId, e.Data.Filename, e.Data.ProductionId, e.Data.Metadata.Type, e.Data.Metadata,
        e.Data.Content.Sha256, e.Data.Content.ByteSize, e.Data.Content.MimeType,
        e.Data.CreatedAt, e.Data.RegisteredAt, e.Version);

    /// <summary>Back from the trash: the row again, from the facts the restore carries.</summary>
    public static AssetView<TMetadata> Create(IEvent<AssetRestored<TMetadata>> e) => new(
        e.Data.AssetId, e.Data.Filename, e.Data.ProductionId, e.Data.Metadata.Type, e.Data.Metadata,
        e.Data.Content.Sha256, e.Data.Content.ByteSize, e.Data.Content.MimeType,
        e.Data.CreatedAt, e.Data.RestoredAt, e.Version);

    public static AssetView<TMetadata> Apply(IEvent<AssetMetadataCorrected<TMetadata>> e, AssetView<TMetadata> view) =>
        view with { Type = e.Data.Metadata.Type, Metadata = e.Data.Metadata, UpdatedAt = e.Data.CorrectedAt, StreamVersion = e.Version };

    public static AssetView<TMetadata> Apply(IEvent<AssetMovedToProduction<TMetadata>> e, AssetView<TMetadata> view) =>
        view with { ProductionId = e.Data.ProductionId, UpdatedAt = e.Data.MovedAt, StreamVersion = e.Version };

    public static AssetView<TMetadata> Apply(IEvent<AssetDetachedFromProduction<TMetadata>> e, AssetView<TMetadata> view) =>
        view with { ProductionId = null, UpdatedAt = e.Data.DetachedAt, StreamVersion = e.Version };
}
