using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Catalog.Projections.Views;

namespace Catalog.Projections;

/// <summary>
/// The one JSON convention of the catalog, for what Marten stores (events, views) and what the API answers:
/// the seed's column names (snake_case: <c>production_id</c>, <c>file_size</c>, …), timestamps as ISO-8601
/// UTC with a Z (<c>2026-11-24T06:07:00.1234567Z</c>, trailing zero fractions left out), and asset views
/// flat, in the seed's column order. Because a view is stored exactly as a list shows it, a list page is the
/// stored rows put side by side.
/// </summary>
public static class CatalogJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new AssetViewJsonConverter());
        // The production view's contract generated at compile time, every other type's by reflection as before: the
        // installed CLI is compiled ahead of time (Native AOT), where reflection cannot make a value type's generic code
        // (the view's double? and long? members) at run time.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(CatalogJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        // A UTC DateTime is written in ISO 8601 with a Z, straight into the buffer.
        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}

/// <summary>The contracts <see cref="CatalogJson"/> generates at compile time (see <see cref="CatalogJson.Configure"/>); the names
/// still follow the options' snake_case policy.</summary>
[JsonSerializable(typeof(ProductionView))]
[JsonSerializable(typeof(ProductionLink))]
[JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
