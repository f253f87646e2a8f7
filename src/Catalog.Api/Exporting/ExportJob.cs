using Catalog.Api.Jobs;

namespace Catalog.Api.Exporting;

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
    public string Url => $"/api/exports/{Id}";
    public string? FileUrl => Status == JobStatus.Completed ? $"/api/exports/{Id}/file" : null;
}
