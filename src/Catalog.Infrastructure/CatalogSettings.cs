using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Catalog.Infrastructure;

/// <summary>
/// The settings every host of the catalog reads (appsettings.json, environment variables with <c>__</c>,
/// command-line). The API and the CLI run from the same folder therefore reach the same catalog.
/// </summary>
/// <param name="ConnectionString"><c>ConnectionStrings:Catalog</c>. When empty, a private cluster is started.</param>
/// <param name="DataDirectory"><c>Catalog:DataDirectory</c>, default <c>./catalog-data</c>: blobs and the private cluster.</param>
/// <param name="PostgresBinDirectory"><c>Catalog:PostgresBinDirectory</c>: where initdb/pg_ctl/postgres are, if not found by themselves.</param>
/// <param name="MaxUploadBytes"><c>Catalog:MaxUploadBytes</c>, default 4 GiB: the largest media file accepted.</param>
/// <param name="StatsCacheSeconds"><c>Catalog:StatsCacheSeconds</c>, default 0 (fresh): how long <c>/api/gallery/stats</c> answers from its last reading.</param>
/// <param name="ExportRetentionHours"><c>Catalog:ExportRetentionHours</c>, default 24: how long a finished API export's file is kept.</param>
/// <param name="TrashRetentionDays"><c>Catalog:TrashRetentionDays</c>, default 30: how long deleted things can be restored before the purge.</param>
/// <param name="Ffprobe"><c>Catalog:Ffprobe</c>: the ffprobe uploads and <c>import-fs</c> ask about the few files no in-process reader reads (Speex or Theora in Ogg); default <c>ffprobe</c> on the PATH; <c>off</c> for none.</param>
public sealed record CatalogSettings(
    string? ConnectionString, string DataDirectory, string? PostgresBinDirectory, long MaxUploadBytes,
    double StatsCacheSeconds = 0, double ExportRetentionHours = 24, double TrashRetentionDays = 30, string? Ffprobe = null)
{
    public const string ConnectionStringName = "Catalog";
    public const long DefaultMaxUploadBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// <c>Catalog:ExportMaxInlineMb</c>, default 256: an export made through the API writes larger binaries beside its
    /// database (it is then served as a tar), because SQLite assembles each inline row in memory — this bounds an export's
    /// memory whatever the catalog holds.
    /// </summary>
    public long ExportMaxInlineBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// <c>Catalog:ReadCacheMb</c>, default 32: memory for the lists' and the search's answers, kept while the views do not
    /// change (exact: any committed write makes the next read read again); 0 turns the cache off.
    /// </summary>
    public long ReadCacheBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary><c>Catalog:MaxActiveExports</c>, default 4: exports queued or running at once through the API (429 above).</summary>
    public int MaxActiveExports { get; init; } = 4;

    /// <summary><c>Catalog:MaxActiveImports</c>, default 2: uploaded assets.db files waiting or importing at once (429 above).</summary>
    public int MaxActiveImports { get; init; } = 2;

    /// <summary>
    /// <c>Catalog:AnonymousReads</c>: who may read without a key — <c>loopback</c> (default: requests from this machine that
    /// no proxy forwarded), <c>none</c> (every request needs a key) or <c>any</c>.
    /// </summary>
    public AnonymousReads AnonymousReads { get; init; } = AnonymousReads.Loopback;

    /// <summary><c>Catalog:CorsOrigins</c>: origins (<c>https://app.example.com</c>, separated by <c>;</c> or <c>,</c>) whose pages may call the API; every other foreign origin's write is refused.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary><c>Catalog:Ffmpeg</c>: the ffmpeg that draws videos' posters and audio tracks' waveforms; default <c>ffmpeg</c> on the PATH; <c>off</c> for none (placeholders).</summary>
    public string? Ffmpeg { get; init; }

    /// <summary>
    /// <c>Catalog:RehearseImport</c>, default true: once started, the service rehearses the import of a few built-in
    /// files, as a folder and as an <c>assets.db</c> (nothing kept), so that a user's first import does not pay for compiling its code.
    /// </summary>
    public bool RehearseImport { get; init; } = true;

    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");

    /// <summary><c>Catalog:RenditionDirectory</c>: where set, the thumbnails and previews go there instead (see <see cref="RenditionDirectory"/>).</summary>
    public string? RenditionDirectorySetting { get; init; }

    /// <summary>Thumbnails and previews, derived from the blobs and made again when missing: <c>{DataDirectory}/renditions</c> unless set.</summary>
    public string RenditionDirectory => RenditionDirectorySetting ?? Path.Combine(DataDirectory, "renditions");
    public string ClusterDirectory => Path.Combine(DataDirectory, "postgres");

    public static CatalogSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Catalog");
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var dataDirectory = section["DataDirectory"];
        var maxUpload = section["MaxUploadBytes"];
        var statsCache = section["StatsCacheSeconds"];
        var retention = section["ExportRetentionHours"];
        var trash = section["TrashRetentionDays"];
        return new CatalogSettings(
            string.IsNullOrWhiteSpace(connectionString) ? null : connectionString,
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "catalog-data" : dataDirectory),
            section["PostgresBinDirectory"],
            string.IsNullOrWhiteSpace(maxUpload) ? DefaultMaxUploadBytes : long.Parse(maxUpload, CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(statsCache) ? 0 : double.Parse(statsCache, CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(retention) ? 24 : double.Parse(retention, CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(trash) ? 30 : double.Parse(trash, CultureInfo.InvariantCulture),
            section["Ffprobe"])
        {
            ExportMaxInlineBytes = (long)(Number(section, "ExportMaxInlineMb", 256) * 1024 * 1024),
            ReadCacheBytes = (long)(Number(section, "ReadCacheMb", 32) * 1024 * 1024),
            MaxActiveExports = (int)Number(section, "MaxActiveExports", 4),
            MaxActiveImports = (int)Number(section, "MaxActiveImports", 2),
            Ffmpeg = section["Ffmpeg"],
            RehearseImport = section["RehearseImport"]?.Trim() is not { Length: > 0 } rehearse || (bool.TryParse(rehearse, out var on)
                ? on : throw new InvalidOperationException($"Catalog:RehearseImport is '{rehearse}'; use true or false.")),
            RenditionDirectorySetting = string.IsNullOrWhiteSpace(section["RenditionDirectory"]) ? null : Path.GetFullPath(section["RenditionDirectory"]!),
            AnonymousReads = section["AnonymousReads"]?.Trim().ToLowerInvariant() switch
            {
                null or "" or "loopback" => AnonymousReads.Loopback,
                "none" => AnonymousReads.None,
                "any" => AnonymousReads.Any,
                var other => throw new InvalidOperationException($"Catalog:AnonymousReads is '{other}'; use loopback, none or any."),
            },
            CorsOrigins = (section["CorsOrigins"] ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(o => o.TrimEnd('/')).ToList(),
        };
    }

    private static double Number(IConfigurationSection section, string name, double fallback) =>
        string.IsNullOrWhiteSpace(section[name]) ? fallback : double.Parse(section[name]!, CultureInfo.InvariantCulture);
}

/// <summary>Who may read without a key (<c>Catalog:AnonymousReads</c>).</summary>
public enum AnonymousReads
{
    /// <summary>Requests from this machine (a loopback address, not forwarded by a proxy).</summary>
    Loopback,

    /// <summary>Nobody: every request needs a key.</summary>
    None,

    /// <summary>Anybody who reaches the port.</summary>
    Any,
}
