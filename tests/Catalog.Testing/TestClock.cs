using Microsoft.Extensions.Time.Testing;

namespace Catalog.Testing;

/// <summary>
/// The tests' clock: starts at the real time and moves one millisecond each time anything reads it, so every command
/// and every event gets its own, later instant — ordering in time without sleeping.
/// </summary>
public static class TestClock
{
    public static FakeTimeProvider Create() => new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
}
