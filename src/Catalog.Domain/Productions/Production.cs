using System.Text.Json;
using System.Text.RegularExpressions;

namespace Catalog.Domain.Productions;

// A production's stream (production:{id}), in one place: what can be asked of it (commands), what happened to it
// (events), what that adds up to (the state) and the rules in between (the decisions).

// -------------------------------------------------------------------------------------------------- commands

public sealed record CreateProduction(string ProductionId, string? Title, string? Artist);

/// <summary>Null leaves a field as it is; an empty string clears it.</summary>
public sealed record ChangeProductionDetails(string ProductionId, string? Title, string? Artist, long? ExpectedVersion = null);

/// <summary>
/// The audio track, named by filename (and duration) as the seed's production row stores it; with the catalog's audio
/// id when it is one of its assets (the write side then fills in its filename and duration).
/// </summary>
public sealed record AttachProductionAudio(string ProductionId, long? AudioId, string? AudioFilename, double? AudioDuration, long? ExpectedVersion = null);

public sealed record ReplaceStoryboard(string ProductionId, string StoryboardJson, long? ExpectedVersion = null);

public sealed record ReplaceSettings(string ProductionId, string SettingsJson, long? ExpectedVersion = null);

public sealed record ChangeProductionStatus(string ProductionId, string Status, long? ExpectedVersion = null);

/// <summary>The production and every asset in it go to the trash (the seed's ON DELETE CASCADE).</summary>
public sealed record DeleteProduction(string ProductionId, long? ExpectedVersion = null);

/// <summary>Back from the trash, with the assets deleted with it.</summary>
public sealed record RestoreProduction(string ProductionId);

public sealed record PurgeProduction(string ProductionId);

/// <summary>A production from outside, as it was there (see <see cref="ProductionImported"/>).</summary>
public sealed record ImportProduction(
    string ProductionId, string? Title, string? Artist, string? AudioFilename, double? AudioDuration, string? Status,
    string? StoryboardJson, string? SettingsJson, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, string Source);

// ---------------------------------------------------------------------------------------------------- events

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

// ----------------------------------------------------------------------------------------------------- state

/// <summary>The write-side state of a production: what its decisions need, in full so a restore can bring it back.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Production"/>); the event store identifies the state by it.</param>
/// <param name="IsDeleted">In the trash (or purged from it).</param>
/// <param name="IsPurged">Purged from the trash: gone for good, but for its history.</param>
public sealed record Production(string Key, string ProductionId, string? Title, string? Artist, string Status, bool IsDeleted)
{
    /// <summary>The prefix of every production's stream key.</summary>
    public const string StreamPrefix = "production";

    /// <summary>The production's stream: <c>production:{id}</c>.</summary>
    public static string StreamKey(string productionId) => StreamKeys.Of(StreamPrefix, productionId);

    public long? AudioId { get; init; }
    public string? AudioFilename { get; init; }
    public double? AudioDuration { get; init; }
    public string? StoryboardJson { get; init; }
    public string? SettingsJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool IsPurged { get; init; }

    /// <summary>The state after one more event (null before the stream's first event).</summary>
    public static Production? Evolve(Production? state, object @event) => (state, @event) switch
    {
        (null, ProductionCreated e) => new Production(Production.StreamKey(e.ProductionId), e.ProductionId, e.Title, e.Artist, ProductionStatus.Draft, false)
        {
            CreatedAt = e.CreatedAt,
        },
        (null, ProductionImported e) => new Production(Production.StreamKey(e.ProductionId), e.ProductionId, e.Title, e.Artist, e.Status, false)
        {
            AudioFilename = e.AudioFilename,
            AudioDuration = e.AudioDuration,
            StoryboardJson = e.StoryboardJson,
            SettingsJson = e.SettingsJson,
            CreatedAt = e.CreatedAt,
        },
        (not null, ProductionDetailsChanged e) => state with { Title = e.Title, Artist = e.Artist },
        (not null, ProductionAudioAttached e) => state with { AudioId = e.AudioId, AudioFilename = e.AudioFilename, AudioDuration = e.AudioDuration },
        (not null, ProductionStoryboardReplaced e) => state with { StoryboardJson = e.StoryboardJson },
        (not null, ProductionSettingsReplaced e) => state with { SettingsJson = e.SettingsJson },
        (not null, ProductionStatusChanged e) => state with { Status = e.To },
        (not null, ProductionTrashed) => state with { IsDeleted = true },
        (not null, ProductionRestored) => state with { IsDeleted = false },
        (not null, ProductionPurged) => state with { IsPurged = true },
        _ => state,
    };
}

// ------------------------------------------------------------------------------------------------- decisions

/// <summary>
/// The production rules, as pure functions: given the current state (null when the stream does not
/// exist), a command, who asks and when, they return the events to append or throw a <see cref="DomainException"/>.
/// </summary>
public static partial class ProductionDecisions
{
    public const int MaxTextLength = 1_000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ProductionIdPattern();

    /// <summary>Ids are the seed's TEXT ids (e.g. <c>prod_…</c>): letters, digits, <c>_ . -</c>, up to 128 characters.</summary>
    public static bool IsValidId(string id) => ProductionIdPattern().IsMatch(id);

    /// <summary>Refuses an id outside the pattern, before anything is looked up by it.</summary>
    public static void RequireValidId(string productionId)
    {
        if (!IsValidId(productionId))
            throw DomainException.Invalid(
                $"'{productionId}' is not a valid production id: use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit.");
    }

    public static ProductionCreated Create(Production? existing, CreateProduction command, string by, DateTimeOffset now)
    {
        RequireValidId(command.ProductionId);
        if (existing is not null)
            throw DomainException.Conflict(existing switch
            {
                { IsPurged: true } => $"Production '{command.ProductionId}' existed and was purged; its id stays with its history.",
                { IsDeleted: true } => $"Production '{command.ProductionId}' is in the trash: restore it (POST /api/productions/{command.ProductionId}/restore).",
                _ => $"Production '{command.ProductionId}' already exists.",
            });

        return new ProductionCreated(command.ProductionId, Text(command.Title, "title"), Text(command.Artist, "artist"), by, now);
    }

    /// <summary>
    /// A production brought in from outside, whole: the same rules as creating one (a valid, unused id), its
    /// fields checked as their commands check them. A missing status is draft; missing timestamps are now, and
    /// updated_at is never before created_at.
    /// </summary>
    public static ProductionImported Import(Production? existing, ImportProduction command, string by, DateTimeOffset now)
    {
        Create(existing, new CreateProduction(command.ProductionId, null, null), by, now);
        var status = string.IsNullOrEmpty(command.Status) ? ProductionStatus.Draft : command.Status;
        if (ProductionStatus.Problem(status) is { } problem) throw DomainException.Invalid(problem);
        if (command.AudioDuration is { } d && (!double.IsFinite(d) || d < 0))
            throw DomainException.Invalid("audio_duration must be a non-negative number of seconds.");
        if (command.StoryboardJson is not null) RequireJson(command.StoryboardJson, "storyboard");
        if (command.SettingsJson is not null) RequireJson(command.SettingsJson, "settings");
        var createdAt = command.CreatedAt ?? now;
        var updatedAt = command.UpdatedAt is { } u && u >= createdAt ? u : createdAt;
        return new ProductionImported(command.ProductionId, Text(command.Title, "title"), Text(command.Artist, "artist"),
            Text(command.AudioFilename, "audio_filename"), command.AudioDuration, status, command.StoryboardJson, command.SettingsJson,
            createdAt, updatedAt, command.Source, by, now);
    }

    public static ProductionDetailsChanged ChangeDetails(Production? state, ChangeProductionDetails command, string by, DateTimeOffset now)
    {
        var production = Live(state, command.ProductionId);
        if (command.Title is null && command.Artist is null)
            throw DomainException.Invalid("Give a title, an artist, or both.");

        var title = command.Title is null ? production.Title : Text(command.Title, "title");
        var artist = command.Artist is null ? production.Artist : Text(command.Artist, "artist");
        return new ProductionDetailsChanged(production.ProductionId, title, artist, by, now);
    }

    public static ProductionAudioAttached AttachAudio(Production? state, AttachProductionAudio command, string by, DateTimeOffset now)
    {
        var production = Live(state, command.ProductionId);
        if (string.IsNullOrWhiteSpace(command.AudioFilename))
            throw DomainException.Invalid("An audio filename (or the id of a registered audio asset) is required.");
        if (command.AudioDuration is < 0 or double.NaN or double.PositiveInfinity)
            throw DomainException.Invalid("audio_duration must be a non-negative number of seconds.");
        return new ProductionAudioAttached(production.ProductionId, command.AudioId,
            Text(command.AudioFilename, "audio_filename")!, command.AudioDuration, by, now);
    }

    public static ProductionStoryboardReplaced ReplaceStoryboard(Production? state, ReplaceStoryboard command, string by, DateTimeOffset now)
    {
        var production = Live(state, command.ProductionId);
        RequireJson(command.StoryboardJson, "storyboard");
        return new ProductionStoryboardReplaced(production.ProductionId, command.StoryboardJson, by, now);
    }

    public static ProductionSettingsReplaced ReplaceSettings(Production? state, ReplaceSettings command, string by, DateTimeOffset now)
    {
        var production = Live(state, command.ProductionId);
        RequireJson(command.SettingsJson, "settings");
        return new ProductionSettingsReplaced(production.ProductionId, command.SettingsJson, by, now);
    }

    public static ProductionStatusChanged ChangeStatus(Production? state, ChangeProductionStatus command, string by, DateTimeOffset now)
    {
        var production = Live(state, command.ProductionId);
        if (!ProductionStatus.All.Contains(command.Status))
            throw DomainException.Invalid($"'{command.Status}' is not a status the lifecycle moves to; use one of: {string.Join(", ", ProductionStatus.All)}.");
        if (!ProductionStatus.CanMove(production.Status, command.Status))
            throw DomainException.Conflict(
                $"Production '{command.ProductionId}' is {production.Status} and cannot become {command.Status}: " +
                "the lifecycle is draft → generating → completed, and back to draft for rework.");
        return new ProductionStatusChanged(production.ProductionId, production.Status, command.Status, by, now);
    }

    public static ProductionTrashed Delete(Production? state, DeleteProduction command, string by, DateTimeOffset now) =>
        new(Live(state, command.ProductionId).ProductionId, by, now);

    /// <summary>Back from the trash, as it was when deleted.</summary>
    public static ProductionRestored Restore(Production? state, RestoreProduction command, string by, DateTimeOffset now)
    {
        var trashed = Trashed(state, command.ProductionId);
        return new ProductionRestored(trashed.ProductionId, trashed.Title, trashed.Artist, trashed.AudioId, trashed.AudioFilename,
            trashed.AudioDuration, trashed.Status, trashed.StoryboardJson, trashed.SettingsJson, trashed.CreatedAt, by, now);
    }

    /// <summary>Emptied from the trash for good.</summary>
    public static ProductionPurged Purge(Production? state, PurgeProduction command, string by, DateTimeOffset now) =>
        new(Trashed(state, command.ProductionId).ProductionId, by, now);

    /// <summary>The production a restore or a purge addresses: in the trash, not purged.</summary>
    public static Production Trashed(Production? state, string productionId) => state switch
    {
        null or { IsPurged: true } => throw DomainException.NotFound($"Production '{productionId}' is not in the trash."),
        { IsDeleted: false } => throw DomainException.Conflict($"Production '{productionId}' is not in the trash; there is nothing to restore."),
        _ => state,
    };

    /// <summary>The production a command addresses, which must exist and not be deleted.</summary>
    public static Production Live(Production? state, string productionId) =>
        state is null || state.IsDeleted
            ? throw DomainException.NotFound($"Production '{productionId}' does not exist.")
            : state;

    private static string? Text(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (TextRules.Problem(value, field, MaxTextLength) is { } problem) throw DomainException.Invalid(problem);
        return value;
    }

    private static void RequireJson(string json, string what)
    {
        if (TextRules.JsonProblem(json, what) is { } problem) throw DomainException.Invalid(problem);
    }
}
