using System.Globalization;

namespace Catalog.Importer;

/// <summary>The seed's TEXT timestamps, read from an assets.db or a production file.</summary>
public static class SeedTimestamps
{
    /// <summary>A TEXT timestamp read back: ISO-8601 (as exported) or SQLite's <c>CURRENT_TIMESTAMP</c> form, taken as UTC.</summary>
    public static DateTimeOffset? Parse(string? text, string column) => text switch
    {
        null or "" => null,
        _ when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at.ToUniversalTime(),
        _ => throw new FormatException($"{column} '{text}' is not an ISO-8601 timestamp"),
    };
}
