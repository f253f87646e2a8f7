using System.Text.Json;

namespace Catalog.Domain;

/// <summary>
/// What text the catalog keeps. NUL is never text (PostgreSQL refuses it); other control characters only as tab, CR
/// and LF, and only in free text (prompts, camera directions); names, ids, types and titles hold none, nor the
/// invisible bidirectional controls that make a name read differently from what it is (U+202E …).
/// </summary>
public static class TextRules
{
    /// <summary>What is wrong with <paramref name="value"/> as the field's text, or null when nothing is.</summary>
    public static string? Problem(string? value, string field, int maxLength, bool freeText = false)
    {
        if (value is null) return null;
        if (value.Length > maxLength) return $"{field} is longer than {maxLength} characters.";
        foreach (var c in value)
        {
            if (c == '\0') return $"{field} contains the NUL character (U+0000), which text may not hold.";
            if (char.IsControl(c) && !(freeText && c is '\t' or '\r' or '\n'))
                return $"{field} contains the control character U+{(int)c:X4}{(freeText ? " (tab, CR and LF are the only ones free text may hold)" : "")}.";
            if (!freeText && IsBidiControl(c)) return $"{field} contains the invisible direction control U+{(int)c:X4}.";
        }
        return null;
    }

    /// <summary>The characters that reorder how text is shown (LRM, RLM, the embeddings, overrides and isolates).</summary>
    public static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u061C';

    /// <summary>What is wrong with a JSON document the catalog keeps as given, or null: it must parse, and hold no NUL in its text.</summary>
    public static string? JsonProblem(string json, string what)
    {
        if (string.IsNullOrWhiteSpace(json)) return $"The {what} must be a JSON document; the body was empty.";
        try
        {
            using var document = JsonDocument.Parse(json);
            return HoldsNul(document.RootElement) ? $"The {what} contains the NUL character (\\u0000), which text may not hold." : null;
        }
        catch (JsonException e)
        {
            return $"The {what} is not valid JSON: {e.Message}";
        }
    }

    private static bool HoldsNul(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Contains('\0'),
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0') || HoldsNul(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HoldsNul),
        _ => false,
    };
}
