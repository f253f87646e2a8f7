namespace Catalog.Domain.Productions;

/// <summary>Every event of a production stream names its production.</summary>
public interface IProductionEvent
{
    string ProductionId { get; }
}

public sealed record ProductionCreated(
    string ProductionId, string? Title, string? Artist, string CreatedBy, DateTimeOffset CreatedAt) : IProductionEvent;

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

/// <summary>The production is gone from the views; the deletions of its assets are appended to their own streams alongside.</summary>
public sealed record ProductionDeleted(
    string ProductionId, string DeletedBy, DateTimeOffset DeletedAt) : IProductionEvent;
