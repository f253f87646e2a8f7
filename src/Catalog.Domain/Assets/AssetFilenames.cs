using System.Text;

namespace Catalog.Domain.Assets;

/// <summary>
/// The seed's <c>filename</c>: a plain file name, unique per kind. It becomes a path when an export is
/// written in hybrid mode (<c>data/images/{filename}</c>), so it may not climb out of that folder.
/// </summary>
public static class AssetFilenames
{
    public const int MaxLength = 255;

    public static string? Problem(string? filename)
    {
        if (string.IsNullOrWhiteSpace(filename)) return "filename is required.";
        if (Encoding.UTF8.GetByteCount(filename) > MaxLength) return $"filename is longer than {MaxLength} bytes.";
        if (filename is "." or "..") return "filename may not be '.' or '..'.";
        if (filename.IndexOfAny(['/', '\\']) >= 0) return "filename may not contain '/' or '\\'.";
        if (filename.Any(char.IsControl)) return "filename may not contain control characters.";
        if (filename.Any(TextRules.IsBidiControl)) return "filename may not contain invisible direction controls (U+202E …): the name would read as another.";
        if (filename != filename.Trim()) return "filename may not start or end with white space.";
        return null;
    }
}
