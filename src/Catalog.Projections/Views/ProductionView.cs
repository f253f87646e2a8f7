using System.Text.Json.Serialization;
using Catalog.Domain.Productions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Catalog.Projections.Views;

/// <summary>
/// A live production: the seed's <c>productions</c> row in the seed's column order, then the audio asset's id
/// and the stream version (the expected_version a command may give) — stored exactly as a list shows it.
/// </summary>
public sealed record ProductionView(
    string Id,
    string? Title,
    string? Artist,
    string? AudioFilename,
    double? AudioDuration,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Status,
    string? StoryboardJson,
    string? SettingsJson,
    long? AudioId,
    [property: JsonPropertyName("version")] long StreamVersion);

/// <summary>Inline: every production command's response and the next read see the change.</summary>
public sealed partial class ProductionViewProjection : MultiStreamProjection<ProductionView, string>
{
    public ProductionViewProjection()
    {
        Name = "production_view";
        Identity<IProductionEvent>(e => e.ProductionId);
        DeleteEvent<ProductionTrashed>();
    }

    public static ProductionView Create(IEvent<ProductionCreated> e) => new(
        e.Data.ProductionId, e.Data.Title, e.Data.Artist, null, null,
        e.Data.CreatedAt, e.Data.CreatedAt, ProductionStatus.Draft, null, null, null, e.Version);

    /// <summary>Imported: the row as it was where it came from, its timestamps included.</summary>
    public static ProductionView Create(IEvent<ProductionImported> e) => new(
        e.Data.ProductionId, e.Data.Title, e.Data.Artist, e.Data.AudioFilename, e.Data.AudioDuration,
        e.Data.CreatedAt, e.Data.UpdatedAt, e.Data.Status, e.Data.StoryboardJson, e.Data.SettingsJson, null, e.Version);

    /// <summary>Back from the trash: the row again, from the facts the restore carries.</summary>
    public static ProductionView Create(IEvent<ProductionRestored> e) => new(
        e.Data.ProductionId, e.Data.Title, e.Data.Artist, e.Data.AudioFilename, e.Data.AudioDuration,
        e.Data.CreatedAt, e.Data.RestoredAt, e.Data.Status, e.Data.StoryboardJson, e.Data.SettingsJson, e.Data.AudioId, e.Version);

    public static ProductionView Apply(IEvent<ProductionDetailsChanged> e, ProductionView view) =>
        view with { Title = e.Data.Title, Artist = e.Data.Artist, UpdatedAt = e.Data.ChangedAt, StreamVersion = e.Version };

    public static ProductionView Apply(IEvent<ProductionAudioAttached> e, ProductionView view) => view with
    {
        AudioId = e.Data.AudioId,
        AudioFilename = e.Data.AudioFilename,
        AudioDuration = e.Data.AudioDuration,
        UpdatedAt = e.Data.AttachedAt,
        StreamVersion = e.Version,
    };

    public static ProductionView Apply(IEvent<ProductionStoryboardReplaced> e, ProductionView view) =>
        view with { StoryboardJson = e.Data.StoryboardJson, UpdatedAt = e.Data.ReplacedAt, StreamVersion = e.Version };

    public static ProductionView Apply(IEvent<ProductionSettingsReplaced> e, ProductionView view) =>
        view with { SettingsJson = e.Data.SettingsJson, UpdatedAt = e.Data.ReplacedAt, StreamVersion = e.Version };

    public static ProductionView Apply(IEvent<ProductionStatusChanged> e, ProductionView view) =>
        view with { Status = e.Data.To, UpdatedAt = e.Data.ChangedAt, StreamVersion = e.Version };
}
