using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Catalog.Domain.Assets;

public enum AssetKind
{
    Image,
    Video,
    Audio,
}

/// <summary>
/// The asset kinds as data: every part of the catalog that treats the kinds alike (routes, streams, events, views,
/// imports, the export, the trash, the history) reads them from here. Adding a kind is a metadata record
/// (<see cref="IAssetMetadata"/>), an entry below and the kind's table in the seed's schema.
/// </summary>
public static class AssetKinds
{
    public static IReadOnlyList<AssetKindInfo> All { get; } =
    [
        new AssetKindInfo<ImageMetadata>(AssetKind.Image, "image", "images", "an image", "Images", "image/", ["generated", "reference", "thumbnail"]),
        new AssetKindInfo<VideoMetadata>(AssetKind.Video, "video", "videos", "a video", "Videos", "video/", ["clip", "lipsync", "final"]),
        new AssetKindInfo<AudioMetadata>(AssetKind.Audio, "audio", "audio", "an audio track", "Audio", "audio/", ["original", "processed", "instrumental", "vocals"]),
    ];

    public static AssetKindInfo Of(AssetKind kind) => All.Single(k => k.Kind == kind);

    public static AssetKindInfo<TMetadata> Of<TMetadata>() where TMetadata : IAssetMetadata => Cache<TMetadata>.Info;

    /// <summary>A kind by its singular name (<c>image</c>, as in stream keys and event names) or its table (<c>images</c>).</summary>
    public static bool TryParse(string? name, out AssetKindInfo kind)
    {
        kind = All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal) || string.Equals(k.Table, name, StringComparison.Ordinal))!;
        return kind is not null;
    }

    /// <summary>The singular, lower-case name used in routes, stream keys and event names: image, video, audio.</summary>
    public static string Name(this AssetKind kind) => Of(kind).Name;

    /// <summary>The seed's table name: images, videos, audio.</summary>
    public static string Table(this AssetKind kind) => Of(kind).Table;

    /// <summary>The stream of an asset of this kind: <c>image:7</c>.</summary>
    public static string StreamKey(this AssetKind kind, long assetId) => StreamKeys.Of(kind.Name(), assetId.ToString(CultureInfo.InvariantCulture));

    /// <summary>For messages: an image, a video, an audio track.</summary>
    public static string WithArticle(this AssetKind kind) => Of(kind).Article;

    private static class Cache<TMetadata> where TMetadata : IAssetMetadata
    {
        public static readonly AssetKindInfo<TMetadata> Info = (AssetKindInfo<TMetadata>)Of(TMetadata.Kind);
    }
}

/// <summary>Generic code for a kind known only at run time: <c>kind.Accept(visitor)</c> calls <c>visitor.Visit&lt;TMetadata&gt;()</c>.</summary>
public interface IAssetKindVisitor<out TResult>
{
    TResult Visit<TMetadata>() where TMetadata : IAssetMetadata;
}

/// <summary>One kind of asset: its names, its bytes' MIME family, its well-known types and the seed's columns of its metadata.</summary>
/// <param name="Name">Singular: routes (<c>/api/media/image/1</c>), stream keys (<c>image:1</c>), event names (<c>image.registered</c>).</param>
/// <param name="Table">The seed's table, also the plural in routes (<c>/api/images</c>, <c>/api/gallery/images</c>).</param>
/// <param name="Article">For messages: "an image".</param>
/// <param name="Title">For people and the OpenAPI tags: "Images".</param>
/// <param name="MimePrefix">The MIME family its bytes must belong to (<c>image/</c>).</param>
/// <param name="WellKnownTypes">The values the seed lists for the kind's <c>*_type</c> column.</param>
public abstract class AssetKindInfo(AssetKind kind, string name, string table, string article, string title, string mimePrefix, IReadOnlyList<string> wellKnownTypes)
{
    public AssetKind Kind { get; } = kind;
    public string Name { get; } = name;
    public string Table { get; } = table;
    public string Article { get; } = article;
    public string Title { get; } = title;
    public string MimePrefix { get; } = mimePrefix;
    public IReadOnlyList<string> WellKnownTypes { get; } = wellKnownTypes;

    /// <summary>The seed's descriptive columns, in the seed's order; the first is the <c>*_type</c> column.</summary>
    public abstract IReadOnlyList<MetadataField> Fields { get; }

    /// <summary>The <c>*_type</c> column: image_type, video_type, audio_type.</summary>
    public string TypeField => Fields[0].Name;

    /// <summary>The free text the search reads (the seed's <c>prompt</c>), when the kind has one.</summary>
    public MetadataField? Prompt => Fields.FirstOrDefault(f => f.Name == "prompt");

    public abstract Type MetadataType { get; }

    /// <summary>A column's value as it is kept: the <c>*_type</c> trimmed of white space around it, anything else as given.</summary>
    public object? Normalized(MetadataField field, object? value) =>
        field.Name == TypeField && value is string type ? type.Trim() : value;

    public abstract TResult Accept<TResult>(IAssetKindVisitor<TResult> visitor);

    /// <summary>"Image 7", for messages.</summary>
    public string Describe(long id) => $"{char.ToUpperInvariant(Name[0])}{Name[1..]} {id}";

    public override string ToString() => Name;
}

/// <inheritdoc />
public sealed class AssetKindInfo<TMetadata>(AssetKind kind, string name, string table, string article, string title, string mimePrefix, IReadOnlyList<string> wellKnownTypes)
    : AssetKindInfo(kind, name, table, article, title, mimePrefix, wellKnownTypes)
    where TMetadata : IAssetMetadata
{
    private static readonly ConstructorInfo Constructor = typeof(TMetadata).GetConstructors().Single();

    private static readonly IReadOnlyList<MetadataField> FieldList = Constructor.GetParameters()
        .Select(p => new MetadataField(JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!),
            Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, typeof(TMetadata).GetProperty(p.Name!)!))
        .ToList();

    public override IReadOnlyList<MetadataField> Fields => FieldList;

    public override Type MetadataType => typeof(TMetadata);

    public override TResult Accept<TResult>(IAssetKindVisitor<TResult> visitor) => visitor.Visit<TMetadata>();

    /// <summary>A metadata record from its columns' values (of the fields' types or convertible to them, or null).</summary>
    /// <exception cref="FormatException">A value that is not of its column's type.</exception>
    public TMetadata Create(Func<MetadataField, object?> valueOf) =>
        (TMetadata)Constructor.Invoke(FieldList.Select(f => f.Convert(valueOf(f))).ToArray());

    /// <summary>
    /// The record with the columns it leaves empty filled from elsewhere (what the file's bytes say); a value it has stays as
    /// it is. <paramref name="fallback"/> answers null for a column it cannot fill.
    /// </summary>
    public TMetadata Completed(TMetadata metadata, Func<MetadataField, object?> fallback) =>
        Create(f => f.Property.GetValue(metadata) ?? fallback(f));

    /// <summary>The record's values by column.</summary>
    public IEnumerable<(MetadataField Field, object? Value)> Values(TMetadata metadata) =>
        FieldList.Select(f => (f, f.Property.GetValue(metadata)));

    /// <summary>The record with some columns changed (null clears one); an unknown column is refused.</summary>
    public TMetadata With(TMetadata metadata, IReadOnlyDictionary<string, object?> changes)
    {
        var unknown = changes.Keys.Where(k => FieldList.All(f => f.Name != k)).ToList();
        if (unknown.Count > 0)
            throw DomainException.Invalid(
                $"Unknown field(s) {string.Join(", ", unknown)}; the metadata of {Article} is: {string.Join(", ", FieldList.Select(f => f.Name))}.");
        return Create(f => changes.TryGetValue(f.Name, out var changed) ? changed : f.Property.GetValue(metadata));
    }
}

/// <summary>One of the seed's metadata columns: its name (snake_case), its value type (string, int or double) and the record's property.</summary>
public sealed record MetadataField(string Name, Type Type, PropertyInfo Property)
{
    /// <summary>The value written as text (an upload's form field), in the invariant culture.</summary>
    public object Parse(string text)
    {
        if (Type == typeof(string)) return text;
        if (Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        if (Type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        throw new FormatException($"{Name} must be {Expected}, not '{text}'.");
    }

    /// <summary>A value of another representation (a SQLite column's long, double or text) as this column's type.</summary>
    public object? Convert(object? value) => value switch
    {
        null or DBNull => null,
        _ when value.GetType() == Type => value,
        string text => Parse(text),
        long l when Type == typeof(int) && l is >= int.MinValue and <= int.MaxValue => (int)l,
        long l when Type == typeof(double) => (double)l,
        double d when Type == typeof(int) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        long or double when Type == typeof(string) => System.Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Name} '{value}' is not {Expected}."),
    };

    /// <summary>"an integer", "a number" or "text".</summary>
    public string Expected => Type == typeof(int) ? "an integer" : Type == typeof(double) ? "a number" : "text";
}
