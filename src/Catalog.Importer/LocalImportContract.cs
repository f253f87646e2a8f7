using System.Text.Json.Serialization;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;

namespace Catalog.Importer;

// What the CLI hands the service running on its machine (LocalService): a folder or an assets.db the service reads where it
// lies, and the lines it answers while it imports.

/// <summary>
/// A folder on the service's machine to import (<c>POST /api/imports/folders</c>): what <c>catalog import-fs</c> hands the
/// running service, with the same options.
/// </summary>
/// <param name="Root">The folder's absolute path, as the service's machine sees it.</param>
public sealed record FolderImportRequest(
    string Root, bool DeleteSource = false, string? ImageType = null, string? VideoType = null, string? AudioType = null,
    int? Parallel = null, int? Batch = null, int? Commits = null)
{
    /// <summary>What the CLI sends for these options (the one mapping both ways: <see cref="Options"/> is its inverse).</summary>
    public static FolderImportRequest Of(FileImportOptions options) => new(options.Root, options.DeleteSource,
        TypeOf(options, AssetKind.Image), TypeOf(options, AssetKind.Video), TypeOf(options, AssetKind.Audio),
        options.Parallelism, options.BatchFiles, options.CommitsInFlight);

    private static string? TypeOf(FileImportOptions options, AssetKind kind) => options.Types?.GetValueOrDefault(kind.Name());

    public FileImportOptions Options()
    {
        var defaults = new FileImportOptions(Root);
        var types = new Dictionary<string, string>();
        foreach (var (kind, type) in new[] { (AssetKind.Image, ImageType), (AssetKind.Video, VideoType), (AssetKind.Audio, AudioType) })
            if (type is not null) types[kind.Name()] = type;
        return defaults with
        {
            DeleteSource = DeleteSource, Types = types,
            Parallelism = Math.Clamp(Parallel ?? defaults.Parallelism, 1, 64),
            BatchFiles = Math.Clamp(Batch ?? defaults.BatchFiles, 1, 4096),
            CommitsInFlight = Math.Clamp(Commits ?? defaults.CommitsInFlight, 1, 8),
        };
    }
}

/// <summary>
/// An assets.db on the service's machine to import where it lies (<c>POST /api/imports/databases</c>): what
/// <c>catalog import-db</c> hands the running service. Hybrid rows read their bytes from <c>data/</c> beside it.
/// </summary>
/// <param name="Path">The file's absolute path, as the service's machine sees it.</param>
/// <param name="Parallel">Rows imported at once (1–64; 4 when not given).</param>
public sealed record DatabaseImportRequest(string Path, int? Parallel = null)
{
    public int Parallelism => Math.Clamp(Parallel ?? AssetsDbImport.DefaultParallelism, 1, 64);
}

/// <summary>
/// One line of a local import's answer (<c>application/x-ndjson</c>), as it happens: a file, row or production not simply
/// imported (<see cref="Entry"/>), how far the import is (<see cref="Progress"/>), and last its <see cref="Summary"/> — or,
/// should it stop midway, why (<see cref="Failed"/>; what was registered before stays).
/// </summary>
public sealed record ImportLine(ImportEntry? Entry = null, WorkProgress? Progress = null, ImportSummary? Summary = null, string? Failed = null)
{
    public const string ContentType = "application/x-ndjson";
}

/// <summary>The contract's JSON, generated at compile time (the CLI's native build reads it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FolderImportRequest))]
[JsonSerializable(typeof(DatabaseImportRequest))]
[JsonSerializable(typeof(ImportLine))]
public sealed partial class ImportJson : JsonSerializerContext;
