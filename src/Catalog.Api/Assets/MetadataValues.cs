using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Api.Http;
using Catalog.Domain.Assets;

namespace Catalog.Api.Assets;

/// <summary>
/// A kind's metadata columns as they arrive over HTTP — an upload's form fields, a JSON merge patch (RFC 7396) — read
/// into the column types the kinds registry names (<see cref="AssetKindInfo.Fields"/>). A value of the wrong type is a 400.
/// </summary>
public static class MetadataValues
{
    /// <summary>Takes the kind's fields out of <paramref name="form"/> (what remains is not metadata).</summary>
    public static TMetadata FromForm<TMetadata>(Dictionary<string, string> form) where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        var values = new Dictionary<string, object?>();
        foreach (var field in kind.Fields)
            if (form.Remove(field.Name, out var raw) && raw.Length > 0) values[field.Name] = kind.Normalized(field, ApiProblem.OrBadRequest<object?>(() => field.Parse(raw)));
        return kind.Create(f => values.GetValueOrDefault(f.Name));
    }

    /// <summary>
    /// The columns a merge patch changes: each named field with its new value, null to clear it. Names that are not the
    /// kind's columns are left in for the decision to refuse by name.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> FromPatch<TMetadata>(JsonObject patch) where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        var fields = kind.Fields.ToDictionary(f => f.Name);
        var changes = new Dictionary<string, object?>();
        foreach (var (name, node) in patch)
        {
            changes[name] = node is null || !fields.TryGetValue(name, out var field)
                ? null
                : kind.Normalized(field, ApiProblem.OrBadRequest<object?>(() => node.GetValueKind() switch
                {
                    JsonValueKind.String when field.Type == typeof(string) => node.GetValue<string>(),
                    JsonValueKind.Number when field.Type != typeof(string) => field.Convert(node.GetValue<JsonElement>().GetDouble()),
                    _ => throw new FormatException($"{field.Name} must be {field.Expected}, not {node.ToJsonString()}."),
                }));
        }
        return changes;
    }
}
