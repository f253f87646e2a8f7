using Catalog.Infrastructure;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace Catalog.Cli;

/// <summary>A progress bar on a terminal; plain lines (every 10%) when the output is a file or a pipe.</summary>
public sealed class CliConsole
{
    private readonly bool _interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public void Line(string text)
    {
        if (_interactive) AnsiConsole.MarkupLine(Markup.Escape(text));
        else Console.WriteLine(text);
    }

    public void Error(string text) => Console.Error.WriteLine(text);

    /// <summary>Whether lines can be written while work runs (not under a progress bar).</summary>
    public bool Interactive => _interactive;

    public void Write(Table table)
    {
        if (_interactive)
        {
            AnsiConsole.Write(table);
            return;
        }
        foreach (var row in table.Rows) Console.WriteLine(string.Join("  ", row.Select(Plain)));
    }

    public Task<T> WithProgressAsync<T>(string what, long totalBytes, Func<IProgress<WorkProgress>, Task<T>> work) =>
        WithProgressAsync(what, totalBytes, "rows", work);

    /// <param name="unit">What <see cref="WorkProgress.Rows"/> counts, in the plain lines.</param>
    public async Task<T> WithProgressAsync<T>(string what, long totalBytes, string unit, Func<IProgress<WorkProgress>, Task<T>> work)
    {
        if (!_interactive)
        {
            var lastTenth = -1;
            return await work(WorkProgress.Inline(p =>
            {
                var tenth = (int)(Fraction(p) * 10);
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                Console.WriteLine($"{what}: {Fraction(p) * 100:N0}%  {p.Rows:N0}/{p.TotalRows:N0} {unit}  {p.Bytes / 1048576.0:N1}/{p.TotalBytes / 1048576.0:N1} MB");
            }));
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(what, maxValue: Math.Max(1, totalBytes));
                var result = await work(WorkProgress.Inline(p =>
                {
                    if (p.TotalBytes > 0) task.MaxValue = p.TotalBytes; // an import learns its total once it has looked
                    task.Value = Math.Max(task.Value, p.Bytes);
                }));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Bytes when there are any, else rows.</summary>
    private static double Fraction(WorkProgress p) =>
        p.TotalBytes > 0 ? (double)p.Bytes / p.TotalBytes : p.TotalRows > 0 ? (double)p.Rows / p.TotalRows : 1;

    private static string Plain(IRenderable cell) => cell is Markup or Text
        ? string.Concat(cell.GetSegments(AnsiConsole.Console).Select(s => s.Text))
        : cell.ToString() ?? "";
}
