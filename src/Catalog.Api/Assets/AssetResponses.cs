using Catalog.Domain.Assets;
using Catalog.Api.Productions;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Api.Assets;

/// <summary>The production an asset belongs to, with the URL of its resource.</summary>
public sealed record ProductionLink(string Id, string? Title, string Status, string Url);

/// <summary>An image: the seed's <c>images</c> columns (never <c>binary_data</c>), then the catalog's own fields.</summary>
public sealed record ImageResponse(
    long Id, string Filename, string? ProductionId, string? ClipId, string ImageType, string? Prompt, string? Size,
    string? Mode, double? Cfg, int? Steps, DateTimeOffset CreatedAt, long FileSize, string MimeType,
    string Sha256, DateTimeOffset UpdatedAt, long Version, string MediaUrl, ProductionLink? Production);

/// <summary>A video: the seed's <c>videos</c> columns (never <c>binary_data</c>), then the catalog's own fields.</summary>
public sealed record VideoResponse(
    long Id, string Filename, string? ProductionId, string? ClipId, string VideoType, double? Duration, string? Resolution,
    int? Fps, string? SourceImageFilename, string? Prompt, string? CameraControl, DateTimeOffset CreatedAt, long FileSize,
    string MimeType, string Sha256, DateTimeOffset UpdatedAt, long Version, string MediaUrl, ProductionLink? Production);

/// <summary>An audio track: the seed's <c>audio</c> columns (never <c>binary_data</c>), then the catalog's own fields.</summary>
public sealed record AudioResponse(
    long Id, string Filename, string? ProductionId, string AudioType, double? Duration, int? SampleRate,
    DateTimeOffset CreatedAt, long FileSize, string MimeType, string Sha256, DateTimeOffset UpdatedAt, long Version,
    string MediaUrl, ProductionLink? Production);

public static class AssetResponses
{
    public static string Location(AssetKind kind, long id) => $"/api/gallery/{kind.Name()}/{id}";

    /// <summary>The asset's response with its production link, or null when there is no live asset with that id.</summary>
    public static async Task<object?> LoadAsync<TMetadata>(IQuerySession session, long id, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var view = await session.LoadAsync<AssetView<TMetadata>>(id, ct);
        if (view is null) return null;
        var production = view.ProductionId is { } productionId ? await session.LoadAsync<ProductionView>(productionId, ct) : null;
        return From(view, production is null ? null : new ProductionLink(
            production.Id, production.Title, production.Status, ProductionLinks.Location(production.Id)));
    }

    public static object From<TMetadata>(AssetView<TMetadata> view, ProductionLink? production)
        where TMetadata : IAssetMetadata => view switch
    {
        AssetView<ImageMetadata> v => Image(v, production),
        AssetView<VideoMetadata> v => Video(v, production),
        AssetView<AudioMetadata> v => Audio(v, production),
        _ => throw new NotSupportedException($"No response shape for {typeof(TMetadata).Name}."),
    };

    public static ImageResponse Image(AssetView<ImageMetadata> v, ProductionLink? production) => new(
        v.Id, v.Filename, v.ProductionId, v.Metadata.ClipId, v.Metadata.ImageType, v.Metadata.Prompt, v.Metadata.Size,
        v.Metadata.Mode, v.Metadata.Cfg, v.Metadata.Steps, v.CreatedAt, v.FileSize, v.MimeType,
        v.Sha256, v.UpdatedAt, v.StreamVersion, v.MediaUrl, production);

    public static VideoResponse Video(AssetView<VideoMetadata> v, ProductionLink? production) => new(
        v.Id, v.Filename, v.ProductionId, v.Metadata.ClipId, v.Metadata.VideoType, v.Metadata.Duration, v.Metadata.Resolution,
        v.Metadata.Fps, v.Metadata.SourceImageFilename, v.Metadata.Prompt, v.Metadata.CameraControl, v.CreatedAt, v.FileSize,
        v.MimeType, v.Sha256, v.UpdatedAt, v.StreamVersion, v.MediaUrl, production);

    public static AudioResponse Audio(AssetView<AudioMetadata> v, ProductionLink? production) => new(
        v.Id, v.Filename, v.ProductionId, v.Metadata.AudioType, v.Metadata.Duration, v.Metadata.SampleRate,
        v.CreatedAt, v.FileSize, v.MimeType, v.Sha256, v.UpdatedAt, v.StreamVersion, v.MediaUrl, production);
}
