using System.Globalization;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;

namespace Catalog.Exporter;

/// <summary>The catalog's views as the seed's rows: column names and values, in the seed's table shapes.</summary>
public static class SeedRows
{
    /// <summary>The seed's TEXT timestamps: ISO-8601 UTC, as the API shows them (trailing zero fractions left out).</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A TEXT timestamp read back: ISO-8601 (as exported) or SQLite's <c>CURRENT_TIMESTAMP</c> form, taken as UTC.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text, string column) => text switch
    {
        null or "" => null,
        _ when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at.ToUniversalTime(),
        _ => throw new FormatException($"{column} '{text}' is not an ISO-8601 timestamp"),
    };

    public static IEnumerable<(string Column, object? Value)> Values(ProductionView p) =>
    [
        ("id", p.Id), ("title", p.Title), ("artist", p.Artist), ("audio_filename", p.AudioFilename),
        ("audio_duration", p.AudioDuration), ("created_at", Timestamp(p.CreatedAt)), ("updated_at", Timestamp(p.UpdatedAt)),
        ("status", p.Status), ("storyboard_json", p.StoryboardJson), ("settings_json", p.SettingsJson),
    ];

    /// <summary>The asset table's columns: the common ones and the kind's metadata columns (binary_data included).</summary>
    public static IReadOnlyList<string> Columns<TMetadata>() where TMetadata : IAssetMetadata =>
    [
        "id", "filename", "production_id", .. AssetKinds.Of<TMetadata>().Fields.Select(f => f.Name),
        "created_at", "file_size", "binary_data", "mime_type",
    ];

    /// <summary>Every column's value but binary_data, which the writer streams in.</summary>
    public static IEnumerable<(string Column, object? Value)> Values<TMetadata>(AssetView<TMetadata> a) where TMetadata : IAssetMetadata =>
    [
        ("id", a.Id), ("filename", a.Filename), ("production_id", a.ProductionId),
        .. AssetKinds.Of<TMetadata>().Values(a.Metadata).Select(v => (v.Field.Name, v.Value)),
        ("created_at", Timestamp(a.CreatedAt)), ("file_size", a.FileSize), ("mime_type", a.MimeType),
    ];
}
