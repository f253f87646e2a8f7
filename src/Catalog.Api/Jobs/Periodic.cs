using Catalog.Api.Threads;

namespace Catalog.Api.Jobs;

/// <summary>
/// Background upkeep that outlives its failures: a step that throws (a database outage, a full disk) is logged and
/// tried again after a growing pause (1 s, 2 s, 4 s … at most the period), never taking the service down with it.
/// </summary>
public static class Periodic
{
    /// <summary>Runs a step now and then every <paramref name="every"/>, until the service stops.</summary>
    public static Task RunAsync(string what, TimeSpan every, TimeProvider clock, ILogger logger,
        Func<CancellationToken, Task> work, CancellationToken stoppingToken) =>
        SocketThreads.Run(() => LoopAsync(what, every, once: false, clock, logger, work, stoppingToken));

    /// <summary>Runs a step until it has succeeded once.</summary>
    public static Task OnceAsync(string what, TimeProvider clock, ILogger logger, Func<CancellationToken, Task> work, CancellationToken stoppingToken) =>
        SocketThreads.Run(() => LoopAsync(what, TimeSpan.FromMinutes(5), once: true, clock, logger, work, stoppingToken));

    private static async Task LoopAsync(string what, TimeSpan every, bool once, TimeProvider clock, ILogger logger,
        Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await work(stoppingToken);
                if (failures > 0) logger.LogInformation("{What} works again after {Failures} failure(s)", what, failures);
                if (once) return;
                failures = 0;
                wait = every;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                wait = TimeSpan.FromSeconds(Math.Min(every.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 20))));
                logger.LogWarning(e, "{What} failed ({Failures} in a row); trying again in {Wait}", what, failures, wait);
            }
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
