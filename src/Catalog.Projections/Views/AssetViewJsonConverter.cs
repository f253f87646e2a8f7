using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Catalog.Domain.Assets;

namespace Catalog.Projections.Views;

/// <summary>
/// Writes an <see cref="AssetView{TMetadata}"/> flat, as the API shows it in lists: <c>id, filename,
/// production_id</c>, the kind's metadata columns in the seed's order, <c>created_at, file_size, mime_type,
/// sha256, updated_at, version, media_url</c> and <c>production</c> (always null here: the link is filled in
/// by the detail endpoints). Reads the same shape back.
/// </summary>
public sealed class AssetViewJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(AssetView<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()))!;

    private sealed class Converter<TMetadata> : JsonConverter<AssetView<TMetadata>> where TMetadata : IAssetMetadata
    {
        private static readonly string[] MetadataFields = AssetMetadataFields.Of(typeof(TMetadata)).Select(f => f.Name).ToArray();

        public override void Write(Utf8JsonWriter writer, AssetView<TMetadata> view, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", view.Id);
            writer.WriteString("filename", view.Filename);
            writer.WriteString("production_id", view.ProductionId);
            foreach (var field in JsonSerializer.SerializeToElement(view.Metadata, options).EnumerateObject()) field.WriteTo(writer);
            writer.WritePropertyName("created_at");
            JsonSerializer.Serialize(writer, view.CreatedAt, options);
            writer.WriteNumber("file_size", view.FileSize);
            writer.WriteString("mime_type", view.MimeType);
            writer.WriteString("sha256", view.Sha256);
            writer.WritePropertyName("updated_at");
            JsonSerializer.Serialize(writer, view.UpdatedAt, options);
            writer.WriteNumber("version", view.StreamVersion);
            writer.WriteString("media_url", view.MediaUrl);
            writer.WriteNull("production");
            writer.WriteEndObject();
        }

        public override AssetView<TMetadata> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var metadataJson = new JsonObject();
            foreach (var name in MetadataFields)
            {
                if (root.TryGetProperty(name, out var value)) metadataJson[name] = JsonNode.Parse(value.GetRawText());
            }
            var metadata = metadataJson.Deserialize<TMetadata>(options)!;
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
}

/// <summary>A kind's metadata record as the seed's columns: its parameters under their snake_case names, in order.</summary>
public static class AssetMetadataFields
{
    public sealed record Field(string Name, Type Type);

    public static IReadOnlyList<Field> Of(Type metadataType) =>
        metadataType.GetConstructors().Single().GetParameters()
            .Select(p => new Field(JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!),
                Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .ToList();

    /// <summary>A metadata record from its columns' values (already of the fields' types, or null).</summary>
    public static TMetadata Create<TMetadata>(Func<Field, object?> valueOf) where TMetadata : IAssetMetadata =>
        (TMetadata)typeof(TMetadata).GetConstructors().Single().Invoke(Of(typeof(TMetadata)).Select(valueOf).ToArray());
}
