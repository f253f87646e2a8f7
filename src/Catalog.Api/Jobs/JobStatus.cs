using Catalog.Infrastructure;

namespace Catalog.Api.Jobs;

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

/// <param name="Percent">Of the media bytes (of the rows when there are no bytes).</param>
public sealed record JobProgress(long Rows, long TotalRows, long Bytes, long TotalBytes, double Percent)
{
    public static JobProgress From(WorkProgress p) => new(p.Rows, p.TotalRows, p.Bytes, p.TotalBytes, p.Percent);
}
