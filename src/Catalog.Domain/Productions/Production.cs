namespace Catalog.Domain.Productions;

/// <summary>The write-side state of a production: what its decisions need, in full so a restore can bring it back.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Production"/>); the event store identifies the state by it.</param>
/// <param name="IsDeleted">In the trash (or purged from it).</param>
/// <param name="IsPurged">Purged from the trash: gone for good, but for its history.</param>
public sealed record Production(string Key, string ProductionId, string? Title, string? Artist, string Status, bool IsDeleted)
{
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
        (null, ProductionCreated e) => new Production(StreamKeys.Production(e.ProductionId), e.ProductionId, e.Title, e.Artist, ProductionStatus.Draft, false)
        {
            CreatedAt = e.CreatedAt,
        },
        (null, ProductionImported e) => new Production(StreamKeys.Production(e.ProductionId), e.ProductionId, e.Title, e.Artist, e.Status, false)
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
