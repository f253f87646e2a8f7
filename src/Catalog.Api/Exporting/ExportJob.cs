using Catalog.Exporter;
using Catalog.Infrastructure;

namespace Catalog.Api.Exporting;

/// <summary>The states of a background job asked for through the API (an export, an import).</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    /// <summary>An export: completed, then its file was removed after the retention period.</summary>
    public const string Expired = "expired";
}

/// <summary>
/// An export asked for through the API and run in the background: what was asked, how far it is, and
/// the finished file's size and SHA-256 (or why it failed). A Marten document: operational state, not history.
/// </summary>
public sealed record ExportJob(
    string Id,
    string Status,
    string Mode,
    string? ProductionId,
    DateTimeOffset? AsOf,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? ExpiresAt = null,
    JobProgress? Progress = null,
    IReadOnlyDictionary<string, long>? Rows = null,
    IReadOnlyList<string>? Beside = null,
    string? FileName = null,
    long? Size = null,
    string? Sha256 = null,
    string? Error = null,
    string? Node = null)
{
    /// <summary>This service's node: a background job runs on the node that queued it (a local queue).</summary>
    public static string ThisNode => Environment.MachineName;

    public string Url => $"/api/exports/{Id}";
    public string? FileUrl => Status == JobStatus.Completed ? $"/api/exports/{Id}/file" : null;
}

/// <param name="Percent">Of the media bytes (of the rows when there are no bytes).</param>
public sealed record JobProgress(long Rows, long TotalRows, long Bytes, long TotalBytes, double Percent)
{
    public static JobProgress From(WorkProgress p) => new(p.Rows, p.TotalRows, p.Bytes, p.TotalBytes,
        Math.Round(100.0 * (p.TotalBytes > 0 ? (double)p.Bytes / p.TotalBytes : p.TotalRows > 0 ? (double)p.Rows / p.TotalRows : 1), 1));
}
