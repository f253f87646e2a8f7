using Catalog.Api.Jobs;
using Catalog.Importer;
using Catalog.Infrastructure;

namespace Catalog.Api.Importing;

/// <summary>
/// An assets.db uploaded to be imported, run in the background: the uploaded file's size and SHA-256, how far the
/// import is, and its summary (or why it failed). A Marten document: operational state; what the import changed
/// is in the events, like any change.
/// </summary>
public sealed record ImportJob(
    string Id,
    string Status,
    long FileSize,
    string Sha256,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    JobProgress? Progress = null,
    ImportSummary? Summary = null,
    string? Error = null,
    string? Node = null)
{
    public string Url => $"/api/imports/{Id}";

    /// <summary>Where the uploaded file waits for its import (removed when the import ends).</summary>
    public static string DirectoryOf(CatalogSettings settings, string id) => Path.Combine(settings.DataDirectory, "imports", id);

    public static string FileOf(CatalogSettings settings, string id) => Path.Combine(DirectoryOf(settings, id), "assets.db");
}
