using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Faults;

/// <summary>
/// The service as a user runs it — its own process (<c>dotnet Catalog.Api.dll</c>) on a loopback port — so a test can
/// kill it (SIGKILL: no clean-up of any kind) or start it inside a mount namespace. Its output is kept for the failure
/// message. It binds a port of the kernel's choosing and says which ("Now listening on"); a port chosen here and handed
/// over could be taken meanwhile by another test's process, whose answers would then be taken for this one's.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            lock (_output) _output.AppendLine(e.Data);
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } at) _listening.TrySetResult(int.Parse(at.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The port the service bound, as it said.</summary>
    public int Port { get; private set; }

    public int ProcessId => _process.Id;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>An HTTP client for this service without a key.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(1) };

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="wrapper">A command the service is run under (e.g. <c>unshare … sh -c '… exec "$@"' --</c>); null to run it directly.</param>
    /// <param name="workingDirectory">The folder it runs from (its content root); null for the folder of its assembly.</param>
    public static async Task<ServiceProcess> StartAsync(string connectionString, string dataDirectory,
        IReadOnlyList<string>? wrapper = null, IDictionary<string, string>? settings = null, string? workingDirectory = null)
    {
        var api = typeof(Program).Assembly.Location;
        // "Now listening on: …" as an argument: a shell in a wrapper drops environment names with dots.
        var command = (wrapper ?? []).Concat(["dotnet", api, "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information"]).ToList();
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(api)!,
            Environment =
            {
                ["ConnectionStrings__Catalog"] = connectionString,
                ["Catalog__DataDirectory"] = dataDirectory,
                ["Urls"] = "http://127.0.0.1:0",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Catalog__AdminKey"] = CatalogApp.AdminKey,
                // Killed outright in some tests: a start's rehearsal still running then would leave its folder in /tmp (the
                // rehearsal is tested in RehearsingAnImport).
                ["Catalog__RehearseImport"] = "false",
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var service = new ServiceProcess(Process.Start(start)!);
        try
        {
            await service.WaitUntilLiveAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync(); // a service that did not come up is not left running
            throw;
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (!_listening.Task.IsCompleted)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited ({_process.ExitCode}):\n{Output}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"The service did not say where it listens:\n{Output}");
            await Task.WhenAny(_listening.Task, Task.Delay(100));
        }
        Port = await _listening.Task;
        Client = Anonymous().WithKey(CatalogApp.AdminKey);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited ({_process.ExitCode}):\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not come up:\n{Output}");
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
