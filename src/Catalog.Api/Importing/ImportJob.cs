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

/// <summary>What the CLI prints at the end of <c>import-db</c>, for the API.</summary>
/// <param name="Ok">Everything in the file is in the catalog now.</param>
/// <param name="Entries">A line per row or production that was not simply imported (the first 1,000).</param>
public sealed record ImportSummary(
    bool Ok, int Registered, int Skipped, int Conflicts, int Unrecognised, int Failed, int Linked, int NotLinked,
    int ProductionsCreated, int ProductionsSkipped, int Renumbered, long Bytes, double Seconds,
    IReadOnlyList<ImportEntry> Entries, int EntriesLeftOut)
{
    private const int MaxEntries = 1_000;

    public static ImportSummary From(ImportReport r) => new(
        r.Ok, r.Counts[ImportOutcome.Registered], r.Counts[ImportOutcome.Skipped], r.Counts[ImportOutcome.Conflict],
        r.Counts[ImportOutcome.Unrecognised], r.Counts[ImportOutcome.Failed], r.Linked, r.NotLinked, r.ProductionsCreated,
        r.ProductionsSkipped, r.Renumbered, r.Bytes, Math.Round(r.Seconds, 3),
        r.Entries.Take(MaxEntries).ToList(), Math.Max(0, r.Entries.Count - MaxEntries));
}
