namespace Catalog.Domain.Productions;

/// <summary>The write-side state of a production: just what its decisions need.</summary>
/// <param name="Key">The stream key (<see cref="StreamKeys.Production"/>); the event store identifies the state by it.</param>
public sealed record Production(string Key, string ProductionId, string? Title, string? Artist, string Status, bool IsDeleted)
{
    /// <summary>The state after one more event (null before the stream's first event).</summary>
    public static Production? Evolve(Production? state, object @event) => (state, @event) switch
    {
        (null, ProductionCreated e) => new Production(StreamKeys.Production(e.ProductionId), e.ProductionId, e.Title, e.Artist, ProductionStatus.Draft, false),
        (not null, ProductionDetailsChanged e) => state with { Title = e.Title, Artist = e.Artist },
        (not null, ProductionStatusChanged e) => state with { Status = e.To },
        (not null, ProductionDeleted) => state with { IsDeleted = true },
        _ => state,
    };
}
