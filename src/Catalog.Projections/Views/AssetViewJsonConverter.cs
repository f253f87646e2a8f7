using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Domain.Assets;

namespace Catalog.Projections.Views;

/// <summary>
/// Writes an <see cref="AssetView{TMetadata}"/> flat, as the API shows it: <c>id, filename, production_id</c>, the
/// kind's metadata columns in the seed's order (<see cref="AssetKindInfo.Fields"/>), <c>created_at, file_size,
/// mime_type, sha256, updated_at, version, media_url, thumbnail_url, preview_url</c> and <c>production</c> — null in the stored view and in
/// lists, the link in an <see cref="AssetDetail{TMetadata}"/>. Reads the view's shape back.
/// </summary>
public sealed class AssetViewJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && (typeToConvert.GetGenericTypeDefinition() == typeof(AssetView<>) ||
                                        typeToConvert.GetGenericTypeDefinition() == typeof(AssetDetail<>));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var converter = typeToConvert.GetGenericTypeDefinition() == typeof(AssetView<>) ? typeof(ViewConverter<>) : typeof(DetailConverter<>);
        return (JsonConverter)Activator.CreateInstance(converter.MakeGenericType(typeToConvert.GetGenericArguments()))!;
    }

    /// <summary>
    /// The flat shape. <paramref name="portable"/> is for a row of a portable <c>assets.db</c> (portable mode): its
    /// sha256 is the one given (null until its bytes were hashed), its version null (a row has no stream), and
    /// <c>available</c> says whether its bytes are there.
    /// </summary>
    public static void Write<TMetadata>(Utf8JsonWriter writer, AssetView<TMetadata> view, ProductionLink? production, JsonSerializerOptions options,
        PortableRow? portable = null)
        where TMetadata : IAssetMetadata
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", view.Id);
        writer.WriteString("filename", view.Filename);
        writer.WriteString("production_id", view.ProductionId);
        foreach (var (field, value) in AssetKinds.Of<TMetadata>().Values(view.Metadata))
        {
            switch (value)
            {
                case null: writer.WriteNull(field.Name); break;
                case string text: writer.WriteString(field.Name, text); break;
                case int number: writer.WriteNumber(field.Name, number); break;
                case double number: writer.WriteNumber(field.Name, number); break;
                default: throw new JsonException($"{field.Name}: no JSON form for {value.GetType().Name}.");
            }
        }
        writer.WritePropertyName("created_at");
        JsonSerializer.Serialize(writer, view.CreatedAt, options);
        writer.WriteNumber("file_size", view.FileSize);
        writer.WriteString("mime_type", view.MimeType);
        writer.WriteString("sha256", portable is null ? view.Sha256 : portable.Sha256);
        writer.WritePropertyName("updated_at");
        JsonSerializer.Serialize(writer, view.UpdatedAt, options);
        if (portable is null) writer.WriteNumber("version", view.StreamVersion);
        else writer.WriteNull("version");
        writer.WriteString("media_url", view.MediaUrl);
        writer.WriteString("thumbnail_url", view.ThumbnailUrl);
        writer.WriteString("preview_url", view.PreviewUrl);
        if (portable is not null) writer.WriteBoolean("available", portable.Available);
        writer.WritePropertyName("production");
        JsonSerializer.Serialize(writer, production, options);
        writer.WriteEndObject();
    }

    private sealed class ViewConverter<TMetadata> : JsonConverter<AssetView<TMetadata>> where TMetadata : IAssetMetadata
    {
        public override void Write(Utf8JsonWriter writer, AssetView<TMetadata> view, JsonSerializerOptions options) =>
            AssetViewJsonConverter.Write(writer, view, null, options);

        public override AssetView<TMetadata> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var metadata = AssetKinds.Of<TMetadata>().Create(field =>
                !root.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null ? null
                : field.Type == typeof(string) ? value.GetString()
                : field.Type == typeof(int) ? (object)value.GetInt32()
                : value.GetDouble());
            return new AssetView<TMetadata>(
                root.GetProperty("id").GetInt64(),
                root.GetProperty("filename").GetString()!,
                root.GetProperty("production_id").GetString(),
                metadata.Type,
                metadata,
                root.GetProperty("sha256").GetString()!,
                root.GetProperty("file_size").GetInt64(),
                root.GetProperty("mime_type").GetString()!,
                root.GetProperty("created_at").Deserialize<DateTimeOffset>(options),
                root.GetProperty("updated_at").Deserialize<DateTimeOffset>(options),
                root.GetProperty("version").GetInt64());
        }
    }

    private sealed class DetailConverter<TMetadata> : JsonConverter<AssetDetail<TMetadata>> where TMetadata : IAssetMetadata
    {
        public override void Write(Utf8JsonWriter writer, AssetDetail<TMetadata> detail, JsonSerializerOptions options) =>
            AssetViewJsonConverter.Write(writer, detail.Asset, detail.Production, options);

        public override AssetDetail<TMetadata> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var asset = document.RootElement.Deserialize<AssetView<TMetadata>>(options)!;
            var production = document.RootElement.TryGetProperty("production", out var link) ? link.Deserialize<ProductionLink>(options) : null;
            return new AssetDetail<TMetadata>(asset, production);
        }
    }
}

/// <summary>What a row of a portable <c>assets.db</c> adds to, or leaves out of, the flat shape (see <see cref="AssetViewJsonConverter.Write{TMetadata}"/>).</summary>
/// <param name="Sha256">The bytes' SHA-256 once they were hashed; null before.</param>
/// <param name="Available">Whether the bytes are there: in <c>binary_data</c> or in <c>data/{table}/{filename}</c> beside the file.</param>
public sealed record PortableRow(string? Sha256, bool Available);
