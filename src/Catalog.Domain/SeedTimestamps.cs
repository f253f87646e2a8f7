using System.Globalization;

namespace Catalog.Domain;

/// <summary>
/// The seed's TEXT timestamps as every way in reads them (an assets.db, a production file, an upload's <c>created_at</c>,
/// a production's JSON): ISO-8601 (as exported) or SQLite's <c>CURRENT_TIMESTAMP</c> form (<c>2024-03-01 10:00:00</c>),
/// without an offset taken as UTC.
/// </summary>
public static class SeedTimestamps
{
    /// <exception cref="FormatException">Text that is not such a timestamp; the message names the column.</exception>
    public static DateTimeOffset? Parse(string? text, string column) => text switch
    {
        null or "" => null,
        _ when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at.ToUniversalTime(),
        _ => throw new FormatException($"{column} '{text}' is not an ISO-8601 timestamp (nor SQLite's 2024-03-01 10:00:00)"),
    };
}
