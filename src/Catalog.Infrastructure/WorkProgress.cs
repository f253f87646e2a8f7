namespace Catalog.Infrastructure;

/// <summary>How far a long piece of work (an export, an import) is: rows (or files) and media bytes done, of the totals.</summary>
public sealed record WorkProgress(long Rows, long TotalRows, long Bytes, long TotalBytes)
{
    /// <summary>Of the bytes when there are bytes, else of the rows; 100 when there is nothing to do.</summary>
    public double Percent => Math.Round(100.0 * (TotalBytes > 0 ? (double)Bytes / TotalBytes : TotalRows > 0 ? (double)Rows / TotalRows : 1), 1);

    /// <summary>Progress handed to <paramref name="report"/> on the reporting thread, at once and in order (System.Progress
    /// would post each report to the thread pool and could reorder them).</summary>
    public static IProgress<WorkProgress> Inline(Action<WorkProgress> report) => new InlineProgress(report);

    private sealed class InlineProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }
}
