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

/// <summary>
/// Inline: every production command's response and the next read see the change. The rules are one pure fold,
/// <see cref="Fold"/>: Marten runs it for the live view, time travel (<see cref="CatalogAtInstant"/>) for the past.
/// </summary>
public sealed class ProductionViewProjection : MultiStreamProjection<ProductionView, string>
{
    public ProductionViewProjection()
    {
        Name = "production_view";
        Identity<IProductionEvent>(e => e.ProductionId);
    }

    public override ProductionView? Evolve(ProductionView? snapshot, string id, IEvent e) => Fold(snapshot, e);

    /// <summary>The view after one more event of the production's stream (null: no row).</summary>
    /// <exception cref="UnhandledEventException">An event this fold has no rule for.</exception>
    public static ProductionView? Fold(ProductionView? view, IEvent e) => e.Data switch
    {
        ProductionCreated d => new(d.ProductionId, d.Title, d.Artist, null, null,
            d.CreatedAt, d.CreatedAt, ProductionStatus.Draft, null, null, null, e.Version),
        // Imported: the row as it was where it came from, its timestamps included.
        ProductionImported d => new(d.ProductionId, d.Title, d.Artist, d.AudioFilename, d.AudioDuration,
            d.CreatedAt, d.UpdatedAt, d.Status, d.StoryboardJson, d.SettingsJson, null, e.Version),
        // Back from the trash: the row again, from the facts the restore carries.
        ProductionRestored d => new(d.ProductionId, d.Title, d.Artist, d.AudioFilename, d.AudioDuration,
            d.CreatedAt, d.RestoredAt, d.Status, d.StoryboardJson, d.SettingsJson, d.AudioId, e.Version),
        ProductionDetailsChanged d => view is null ? null
            : view with { Title = d.Title, Artist = d.Artist, UpdatedAt = d.ChangedAt, StreamVersion = e.Version },
        ProductionAudioAttached d => view is null ? null : view with
        {
            AudioId = d.AudioId,
            AudioFilename = d.AudioFilename,
            AudioDuration = d.AudioDuration,
            UpdatedAt = d.AttachedAt,
            StreamVersion = e.Version,
        },
        ProductionStoryboardReplaced d => view is null ? null
            : view with { StoryboardJson = d.StoryboardJson, UpdatedAt = d.ReplacedAt, StreamVersion = e.Version },
        ProductionSettingsReplaced d => view is null ? null
            : view with { SettingsJson = d.SettingsJson, UpdatedAt = d.ReplacedAt, StreamVersion = e.Version },
        ProductionStatusChanged d => view is null ? null
            : view with { Status = d.To, UpdatedAt = d.ChangedAt, StreamVersion = e.Version },
        ProductionTrashed => null,
        ProductionPurged => null, // already gone with the trash
        _ => throw new UnhandledEventException("production_view", e),
    };
}
