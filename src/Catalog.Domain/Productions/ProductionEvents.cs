namespace Catalog.Domain.Productions;

/// <summary>Every event of a production stream names its production.</summary>
public interface IProductionEvent
{
    string ProductionId { get; }
}

public sealed record ProductionCreated(
    string ProductionId, string? Title, string? Artist, string CreatedBy, DateTimeOffset CreatedAt) : IProductionEvent;

/// <summary>
/// Brought in from outside (a production JSON file, an assets.db row): the production in full, with the
/// <c>created_at</c>/<c>updated_at</c> and status it had there and the JSON kept exactly as given.
/// </summary>
/// <param name="Source">Where it came from (the file, and the row or path in it), for the history.</param>
public sealed record ProductionImported(
    string ProductionId, string? Title, string? Artist, string? AudioFilename, double? AudioDuration, string Status,
    string? StoryboardJson, string? SettingsJson, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Source,
    string ImportedBy, DateTimeOffset ImportedAt) : IProductionEvent;

public sealed record ProductionDetailsChanged(
    string ProductionId, string? Title, string? Artist, string ChangedBy, DateTimeOffset ChangedAt) : IProductionEvent;

/// <summary>The production's audio track: the seed's <c>audio_filename</c> and <c>audio_duration</c>, and the catalog's audio id when known.</summary>
public sealed record ProductionAudioAttached(
    string ProductionId, long? AudioId, string AudioFilename, double? AudioDuration, string AttachedBy, DateTimeOffset AttachedAt) : IProductionEvent;

/// <summary>The storyboard JSON text, kept exactly as given (the seed's <c>storyboard_json</c>).</summary>
public sealed record ProductionStoryboardReplaced(
    string ProductionId, string StoryboardJson, string ReplacedBy, DateTimeOffset ReplacedAt) : IProductionEvent;

/// <summary>The settings JSON text, kept exactly as given (the seed's <c>settings_json</c>).</summary>
public sealed record ProductionSettingsReplaced(
    string ProductionId, string SettingsJson, string ReplacedBy, DateTimeOffset ReplacedAt) : IProductionEvent;

public sealed record ProductionStatusChanged(
    string ProductionId, string From, string To, string ChangedBy, DateTimeOffset ChangedAt) : IProductionEvent;

/// <summary>
/// Deleted: the production left the views and went to the trash, its assets with it (each asset's stream gets
/// its own <see cref="Assets.AssetTrashed{TMetadata}"/>, alongside). Stored as <c>production.trashed</c> since
/// deleting became restorable; older <c>production.deleted</c> events are read as this (an upcaster).
/// </summary>
public sealed record ProductionTrashed(
    string ProductionId, string TrashedBy, DateTimeOffset TrashedAt) : IProductionEvent;

/// <summary>Back from the trash with the same id, in full (the view is rebuilt from these facts).</summary>
public sealed record ProductionRestored(
    string ProductionId, string? Title, string? Artist, long? AudioId, string? AudioFilename, double? AudioDuration,
    string Status, string? StoryboardJson, string? SettingsJson, DateTimeOffset CreatedAt,
    string RestoredBy, DateTimeOffset RestoredAt) : IProductionEvent;

/// <summary>Emptied from the trash: it can no longer be restored. Its history stays.</summary>
public sealed record ProductionPurged(
    string ProductionId, string PurgedBy, DateTimeOffset PurgedAt) : IProductionEvent;
