using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Api.Hosting;
using Catalog.Domain.Assets;
using Catalog.Projections;
using Catalog.Projections.Views;

namespace Catalog.Api.Assets;

/// <summary>
/// A kind's metadata record as the seed's columns: the record's parameters under their snake_case names
/// (image_type, clip_id, cfg, …). Builds the record from upload form fields, and applies a JSON merge
/// patch (RFC 7396) to it. Unknown names and values of the wrong type are a 400.
/// </summary>
public static class MetadataFields
{
    public static IReadOnlyList<AssetMetadataFields.Field> Of<TMetadata>() where TMetadata : IAssetMetadata => Cache<TMetadata>.Fields;

    public static IReadOnlyList<AssetMetadataFields.Field> Of(Type metadataType) => AssetMetadataFields.Of(metadataType);

    /// <summary>Takes the kind's fields out of <paramref name="form"/> (what remains is not metadata).</summary>
    public static TMetadata FromForm<TMetadata>(Dictionary<string, string> form) where TMetadata : IAssetMetadata
    {
        var json = new JsonObject();
        foreach (var field in Of<TMetadata>())
        {
            if (form.Remove(field.Name, out var raw) && raw.Length > 0) json[field.Name] = Parse(field, raw);
        }
        return Deserialize<TMetadata>(json);
    }

    /// <summary>The metadata after an RFC 7396 merge patch: named fields are replaced, null clears one, others stay.</summary>
    public static TMetadata Merge<TMetadata>(TMetadata current, JsonObject patch) where TMetadata : IAssetMetadata
    {
        var fields = Of<TMetadata>().Select(f => f.Name).ToHashSet();
        var unknown = patch.Select(p => p.Key).Where(k => !fields.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw ApiProblem.BadRequest(
                $"Unknown field(s) {string.Join(", ", unknown)}; the metadata of {TMetadata.Kind.WithArticle()} is: {string.Join(", ", fields)}.");

        var merged = JsonSerializer.SerializeToNode(current, CatalogJson.Options)!.AsObject();
        foreach (var (name, value) in patch) merged[name] = value?.DeepClone();
        return Deserialize<TMetadata>(merged);
    }

    private static JsonNode Parse(AssetMetadataFields.Field field, string raw)
    {
        if (field.Type == typeof(string)) return JsonValue.Create(raw);
        if (field.Type == typeof(int) && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
            return JsonValue.Create(i);
        if (field.Type == typeof(double) && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        throw ApiProblem.BadRequest($"{field.Name} must be {(field.Type == typeof(int) ? "an integer" : "a number")}, not '{raw}'.");
    }

    private static TMetadata Deserialize<TMetadata>(JsonObject json) where TMetadata : IAssetMetadata
    {
        try
        {
            return json.Deserialize<TMetadata>(CatalogJson.Options)!;
        }
        catch (JsonException e)
        {
            throw ApiProblem.BadRequest($"A field has a value of the wrong type ({e.Path?.TrimStart('$', '.')}): {e.Message}");
        }
    }

    private static class Cache<TMetadata> where TMetadata : IAssetMetadata
    {
        public static readonly IReadOnlyList<AssetMetadataFields.Field> Fields = Of(typeof(TMetadata));
    }
}
