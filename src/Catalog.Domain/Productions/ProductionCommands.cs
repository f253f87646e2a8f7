namespace Catalog.Domain.Productions;

public sealed record CreateProduction(string ProductionId, string? Title, string? Artist);

/// <summary>Null leaves a field as it is; an empty string clears it.</summary>
public sealed record ChangeProductionDetails(string? Title, string? Artist);

/// <summary>The audio track, named by filename (and duration), as the seed's production row stores it.</summary>
public sealed record AttachProductionAudio(long? AudioId, string AudioFilename, double? AudioDuration);

public sealed record ReplaceStoryboard(string StoryboardJson);

public sealed record ReplaceSettings(string SettingsJson);

public sealed record ChangeProductionStatus(string Status);

/// <summary>A production from outside, as it was there (see <see cref="ProductionImported"/>).</summary>
public sealed record ImportProduction(
    string ProductionId, string? Title, string? Artist, string? AudioFilename, double? AudioDuration, string? Status,
    string? StoryboardJson, string? SettingsJson, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, string Source);
