using Catalog.Projections.Views;

namespace Catalog.Api.Productions;

/// <summary>A production: the seed's <c>productions</c> columns, plus the audio asset's id and the stream version.</summary>
/// <param name="StoryboardJson">The storyboard JSON, as text (the seed's TEXT column).</param>
/// <param name="SettingsJson">The settings JSON, as text (the seed's TEXT column).</param>
/// <param name="Version">The production stream's version: pass it as <c>expected_version</c> to make a command conditional.</param>
public sealed record ProductionResponse(
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
    long Version)
{
    public static ProductionResponse From(ProductionView view) => new(
        view.Id, view.Title, view.Artist, view.AudioFilename, view.AudioDuration, view.CreatedAt, view.UpdatedAt,
        view.Status, view.StoryboardJson, view.SettingsJson, view.AudioId, view.StreamVersion);

    public static string Location(string productionId) => $"/api/gallery/production/{Uri.EscapeDataString(productionId)}";
}
