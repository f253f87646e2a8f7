using Catalog.Api.Media;

namespace Catalog.Api.Tests.Infrastructure;

/// <summary>The most imports <see cref="WritesInFlight"/> counted at once while some work ran, looked at every millisecond.</summary>
public static class ImportsSeen
{
    public static async Task<(T Result, int Most)> During<T>(WritesInFlight writes, Func<Task<T>> work)
    {
        var most = 0;
        using var watching = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                most = Math.Max(most, writes.Imports);
                await Task.Delay(1);
            }
        });
        try
        {
            return (await work(), most);
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }
    }
}
