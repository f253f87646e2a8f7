using Catalog.Domain;
using System.Globalization;
using System.Text.Json;
using Catalog.Domain.Productions;
using Catalog.Exporter;

namespace Catalog.Importer;

/// <summary>A production read from a JSON file, and what its storyboard refers to.</summary>
/// <param name="Filenames">Media file names the storyboard (and audio_filename) mention, with the clip id of the object that named them.</param>
/// <param name="ClipIds">Every clip id the storyboard mentions.</param>
public sealed record ProductionDocument(ImportProduction Production, IReadOnlyDictionary<string, string?> Filenames, IReadOnlySet<string> ClipIds);

/// <summary>
/// Production JSON files, in the shapes the seed's app wrote (see the README, "Importing"): an object — or an
/// array of objects — with <c>id</c>, <c>title</c>, <c>artist</c>, <c>audio_filename</c>, <c>audio_duration</c>,
/// <c>status</c>, <c>created_at</c>, <c>updated_at</c>, and <c>storyboard</c>/<c>settings</c> (any JSON, kept as
/// text) or <c>storyboard_json</c>/<c>settings_json</c> (JSON in a string, as the seed's columns hold it).
/// camelCase names are read too. Without an id, the file's name is the id.
/// </summary>
public static class ProductionFiles
{
    private static readonly string[] ProductionKeys = ["id", "title", "storyboard", "storyboard_json", "audio_filename"];
    private static readonly string[] ClipKeys = ["clip_id", "clip"];

    /// <summary>The productions in one file; throws <see cref="FormatException"/> with the reason when it holds none.</summary>
    public static IReadOnlyList<ProductionDocument> Read(string path, string source)
    {
        JsonDocument json;
        try
        {
            using var stream = File.OpenRead(path);
            json = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}");
        }

        using (json)
        {
            var root = json.RootElement;
            var objects = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            if (objects.Count == 0 || objects.Any(o => o.ValueKind != JsonValueKind.Object || !ProductionKeys.Any(k => Find(o, k) is not null)))
                throw new FormatException($"not a production: expected an object (or a list of objects) with one of {string.Join(", ", ProductionKeys)}");
            var fallbackId = objects.Count == 1 ? Path.GetFileNameWithoutExtension(path) : null;
            return objects.Select((o, i) => ReadOne(o, objects.Count == 1 ? source : $"{source}[{i}]", fallbackId)).ToList();
        }
    }

    private static ProductionDocument ReadOne(JsonElement o, string source, string? fallbackId)
    {
        var id = Text(o, "id") ?? fallbackId ?? throw new FormatException("a production in the list has no id");
        var storyboard = JsonText(o, "storyboard");
        var settings = JsonText(o, "settings");
        var audioFilename = Text(o, "audio_filename");

        var filenames = new Dictionary<string, string?>(StringComparer.Ordinal);
        var clipIds = new HashSet<string>(StringComparer.Ordinal);
        if (storyboard is not null)
        {
            try
            {
                using var board = JsonDocument.Parse(storyboard);
                Walk(board.RootElement, null, filenames, clipIds);
            }
            catch (JsonException e)
            {
                throw new FormatException($"the storyboard of '{id}' is not valid JSON: {e.Message}");
            }
        }
        if (audioFilename is not null) filenames.TryAdd(BaseName(audioFilename), null);

        var production = new ImportProduction(id, Text(o, "title"), Text(o, "artist"), audioFilename, Number(o, "audio_duration"),
            Text(o, "status"), storyboard, settings, Time(o, "created_at"), Time(o, "updated_at"), source);
        return new ProductionDocument(production, filenames, clipIds);
    }

    /// <summary>Every string in the storyboard that looks like a file name, with the clip id of the nearest object that has one.</summary>
    private static void Walk(JsonElement element, string? clipId, Dictionary<string, string?> filenames, HashSet<string> clipIds)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var own = ClipKeys.Select(k => Find(element, k)).FirstOrDefault(v => v is { ValueKind: JsonValueKind.String or JsonValueKind.Number });
                if (own is { } value)
                {
                    clipId = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                    if (!string.IsNullOrEmpty(clipId)) clipIds.Add(clipId);
                }
                foreach (var property in element.EnumerateObject()) Walk(property.Value, clipId, filenames, clipIds);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, clipId, filenames, clipIds);
                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.Length is > 0 and < 1024 && Path.HasExtension(text) && !text.Contains('\n'))
                    filenames.TryAdd(BaseName(text), clipId);
                break;
        }
    }

    /// <summary><c>data/images/a.png</c>, <c>/files/a.png</c> and <c>a.png</c> all name <c>a.png</c>.</summary>
    private static string BaseName(string reference)
    {
        var cut = reference.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? reference : reference[(cut + 1)..];
    }

    /// <summary>A property by its snake_case name or its camelCase twin.</summary>
    private static JsonElement? Find(JsonElement o, string snakeName)
    {
        if (o.TryGetProperty(snakeName, out var value)) return value;
        var camel = string.Concat(snakeName.Split('_').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
        return o.TryGetProperty(camel, out value) ? value : null;
    }

    private static string? Text(JsonElement o, string name) => Find(o, name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        null or { ValueKind: JsonValueKind.Null } => null,
        _ => throw new FormatException($"{name} must be a string"),
    };

    private static double? Number(JsonElement o, string name) => Find(o, name) switch
    {
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        null or { ValueKind: JsonValueKind.Null } => null,
        _ => throw new FormatException($"{name} must be a number"),
    };

    private static DateTimeOffset? Time(JsonElement o, string name) => SeedTimestamps.Parse(Text(o, name), name);

    /// <summary><c>storyboard</c> as JSON of any shape, or <c>storyboard_json</c> holding JSON text.</summary>
    private static string? JsonText(JsonElement o, string name) => Find(o, name) switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => v.GetRawText(),
        null => Find(o, name + "_json") is { ValueKind: JsonValueKind.String } text ? text.GetString() : null,
    };
}
