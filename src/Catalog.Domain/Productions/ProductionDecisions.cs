using System.Text.Json;
using System.Text.RegularExpressions;

namespace Catalog.Domain.Productions;

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

    public static ProductionCreated Create(Production? existing, CreateProduction command, string by, DateTimeOffset now)
    {
        if (!IsValidId(command.ProductionId))
            throw DomainException.Invalid(
                $"'{command.ProductionId}' is not a valid production id: use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit.");
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
        if (!ProductionStatus.All.Contains(status))
            throw DomainException.Invalid($"status '{status}' is not one of: {string.Join(", ", ProductionStatus.All)}.");
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

    public static ProductionDetailsChanged ChangeDetails(
        Production? state, string productionId, ChangeProductionDetails command, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        if (command.Title is null && command.Artist is null)
            throw DomainException.Invalid("Give a title, an artist, or both.");

        var title = command.Title is null ? production.Title : Text(command.Title, "title");
        var artist = command.Artist is null ? production.Artist : Text(command.Artist, "artist");
        return new ProductionDetailsChanged(production.ProductionId, title, artist, by, now);
    }

    public static ProductionAudioAttached AttachAudio(Production? state, string productionId, AttachProductionAudio command, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        if (string.IsNullOrWhiteSpace(command.AudioFilename))
            throw DomainException.Invalid("An audio filename (or the id of a registered audio asset) is required.");
        if (command.AudioDuration is < 0 or double.NaN or double.PositiveInfinity)
            throw DomainException.Invalid("audio_duration must be a non-negative number of seconds.");
        return new ProductionAudioAttached(production.ProductionId, command.AudioId,
            Text(command.AudioFilename, "audio_filename")!, command.AudioDuration, by, now);
    }

    public static ProductionStoryboardReplaced ReplaceStoryboard(Production? state, string productionId, ReplaceStoryboard command, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        RequireJson(command.StoryboardJson, "storyboard");
        return new ProductionStoryboardReplaced(production.ProductionId, command.StoryboardJson, by, now);
    }

    public static ProductionSettingsReplaced ReplaceSettings(Production? state, string productionId, ReplaceSettings command, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        RequireJson(command.SettingsJson, "settings");
        return new ProductionSettingsReplaced(production.ProductionId, command.SettingsJson, by, now);
    }

    public static ProductionStatusChanged ChangeStatus(Production? state, string productionId, ChangeProductionStatus command, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        if (!ProductionStatus.All.Contains(command.Status))
            throw DomainException.Invalid($"'{command.Status}' is not a status; use one of: {string.Join(", ", ProductionStatus.All)}.");
        if (!ProductionStatus.CanMove(production.Status, command.Status))
            throw DomainException.Conflict(
                $"Production '{productionId}' is {production.Status} and cannot become {command.Status}: " +
                "the lifecycle is draft → generating → completed, and back to draft for rework.");
        return new ProductionStatusChanged(production.ProductionId, production.Status, command.Status, by, now);
    }

    public static ProductionTrashed Delete(Production? state, string productionId, string by, DateTimeOffset now)
    {
        var production = Live(state, productionId);
        return new ProductionTrashed(production.ProductionId, by, now);
    }

    /// <summary>Back from the trash, as it was when deleted.</summary>
    public static ProductionRestored Restore(Production? state, string productionId, string by, DateTimeOffset now)
    {
        var trashed = Trashed(state, productionId);
        return new ProductionRestored(trashed.ProductionId, trashed.Title, trashed.Artist, trashed.AudioId, trashed.AudioFilename,
            trashed.AudioDuration, trashed.Status, trashed.StoryboardJson, trashed.SettingsJson, trashed.CreatedAt, by, now);
    }

    /// <summary>Emptied from the trash for good.</summary>
    public static ProductionPurged Purge(Production? state, string productionId, string by, DateTimeOffset now) =>
        new(Trashed(state, productionId).ProductionId, by, now);

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
        if (value.Length > MaxTextLength)
            throw DomainException.Invalid($"{field} is longer than {MaxTextLength} characters.");
        return value;
    }

    private static void RequireJson(string json, string what)
    {
        if (string.IsNullOrWhiteSpace(json))
            throw DomainException.Invalid($"The {what} must be a JSON document; the body was empty.");
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw DomainException.Invalid($"The {what} is not valid JSON: {e.Message}");
        }
    }
}
