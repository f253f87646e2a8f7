using System.Diagnostics;
using Catalog.Infrastructure;
using Catalog.Testing;

namespace Catalog.Cli.Tests;

/// <summary>
/// The service, started as a user starts it (its own process, <c>dotnet Catalog.Api.dll</c> of this build) on a catalog's
/// database and data folder, listening on a port of its choosing; ready once it has written its <c>service.json</c>.
/// Stopped as a user stops it (SIGTERM): gracefully, removing that file.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;

    public LocalService Published { get; }

    private RunningService(Process process, Task<string> output, LocalService published) => (_process, _output, Published) = (process, output, published);

    /// <summary>The service's build beside this test build (the test project builds it: a reference that is not compiled against).</summary>
    private static string Assembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/{Configuration}/net10.0/
            return Path.Combine(Repository.Root, "src", "Catalog.Api", "bin", configuration, "net10.0", "Catalog.Api.dll");
        }
    }

    public static async Task<RunningService> StartAsync(string connectionString, string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet", [Assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
            Environment =
            {
                ["ConnectionStrings__Catalog"] = connectionString,
                ["Catalog__DataDirectory"] = dataDirectory,
                ["Urls"] = "http://127.0.0.1:0",
                // Killed outright in some tests: a start's rehearsal still running then would leave its folder in /tmp (the
                // rehearsal is tested in RehearsingAnImport).
                ["Catalog__RehearseImport"] = "false",
            },
        };
        var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()).ContinueWith(t => string.Concat(t.Result));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (LocalService.Find(dataDirectory) is { Pid: var pid } published && pid == process.Id) return new RunningService(process, output, published);
            if (process.HasExited) throw new InvalidOperationException($"The service exited ({process.ExitCode}) before it listened:\n{await output}");
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The service wrote no service.json in 2 minutes:\n{await output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; its output once it has exited.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _process.WaitForExitAsync(timeout.Token);
        }
        return await _output;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
