using Catalog.Domain.Assets;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Catalog.Projections.Views;

/// <summary>
/// A live asset of one kind: the seed's row without <c>binary_data</c> (the bytes stay in the blob
/// store, addressed by <see cref="Sha256"/>), plus the stream version (the expected_version a command may give).
/// Stored per kind as <c>image_view</c>, <c>video_view</c>, <c>audio_view</c>, in the API's flat shape
/// (<see cref="AssetViewJsonConverter"/>); its unique filename index is what makes a second registration of a
/// filename fail inside the append's transaction.
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

    /// <summary>Where its thumbnail (≤ 256 px WebP: the image, a video's frame, an audio track's waveform) is served.</summary>
    public string ThumbnailUrl => MediaUrl + "/thumbnail";

    /// <summary>Where its preview (≤ 1440 px WebP) is served.</summary>
    public string PreviewUrl => MediaUrl + "/preview";
}

/// <summary>
/// Inline, for every kind: registered or restored → row; corrected/moved/detached → row changed; trashed → row gone.
/// The rules are one pure fold, <see cref="Fold"/>: Marten runs it for the live view, time travel
/// (<see cref="CatalogAtInstant"/>) for the past, so the two can never disagree.
/// </summary>
public sealed class AssetViewProjection<TMetadata> : MultiStreamProjection<AssetView<TMetadata>, long>
    where TMetadata : IAssetMetadata
{
    public AssetViewProjection()
    {
        Name = $"{TMetadata.Kind.Name()}_view";
        Identity<IAssetEvent<TMetadata>>(e => e.AssetId);
    }

    public override AssetView<TMetadata>? Evolve(AssetView<TMetadata>? snapshot, long id, IEvent e) => Fold(snapshot, e);

    /// <summary>The row a registration makes (the first event of the asset's stream: <paramref name="version"/> 1).</summary>
    public static AssetView<TMetadata> Registered(AssetRegistered<TMetadata> d, long version) => new(d.AssetId, d.Filename,
        d.ProductionId, d.Metadata.Type, d.Metadata, d.Content.Sha256, d.Content.ByteSize, d.Content.MimeType, d.CreatedAt,
        d.RegisteredAt, version);

    /// <summary>The view after one more event of the asset's stream (null: no row).</summary>
    /// <exception cref="UnhandledEventException">An event of the kind this fold has no rule for.</exception>
    public static AssetView<TMetadata>? Fold(AssetView<TMetadata>? view, IEvent e) => e.Data switch
    {
        AssetRegistered<TMetadata> d => Registered(d, e.Version),
        // Back from the trash: the row again, from the facts the restore carries.
        AssetRestored<TMetadata> d => new(d.AssetId, d.Filename, d.ProductionId, d.Metadata.Type, d.Metadata,
            d.Content.Sha256, d.Content.ByteSize, d.Content.MimeType, d.CreatedAt, d.RestoredAt, e.Version),
        AssetMetadataCorrected<TMetadata> d => view is null ? null
            : view with { Type = d.Metadata.Type, Metadata = d.Metadata, UpdatedAt = d.CorrectedAt, StreamVersion = e.Version },
        AssetMovedToProduction<TMetadata> d => view is null ? null
            : view with { ProductionId = d.ProductionId, UpdatedAt = d.MovedAt, StreamVersion = e.Version },
        AssetDetachedFromProduction<TMetadata> d => view is null ? null
            : view with { ProductionId = null, UpdatedAt = d.DetachedAt, StreamVersion = e.Version },
        AssetTrashed<TMetadata> => null,
        AssetPurged<TMetadata> => null, // already gone with the trash
        _ => throw new UnhandledEventException($"{TMetadata.Kind.Name()}_view", e),
    };
}

/// <summary>A view's fold met an event of its stream it has no rule for: a new event type added to the write side and not to the view.</summary>
public sealed class UnhandledEventException(string view, IEvent e)
    : InvalidOperationException($"The {view} has no rule for {e.EventTypeName} ({e.Data.GetType().Name}) of stream {e.StreamKey}.");
