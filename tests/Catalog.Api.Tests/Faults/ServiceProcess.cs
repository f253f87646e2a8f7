using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Faults;

/// <summary>
/// The service as a user runs it — its own process (<c>dotnet Catalog.Api.dll</c>) on a loopback port — so a test can
/// kill it (SIGKILL: no clean-up of any kind) or start it inside a mount namespace. Its output is kept for the failure
/// message.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(1) }.WithKey(CatalogApp.AdminKey);
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }
    public int ProcessId => _process.Id;
    public HttpClient Client { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="wrapper">A command the service is run under (e.g. <c>unshare … sh -c '… exec "$@"' --</c>); null to run it directly.</param>
    public static async Task<ServiceProcess> StartAsync(string connectionString, string dataDirectory, int port,
        IReadOnlyList<string>? wrapper = null, IDictionary<string, string>? settings = null)
    {
        var api = typeof(Program).Assembly.Location;
        var command = (wrapper ?? []).Concat(["dotnet", api]).ToList();
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(api)!,
            Environment =
            {
                ["ConnectionStrings__Catalog"] = connectionString,
                ["Catalog__DataDirectory"] = dataDirectory,
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Catalog__AdminKey"] = CatalogApp.AdminKey,
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var service = new ServiceProcess(Process.Start(start)!, port);
        await service.WaitUntilLiveAsync();
        return service;
    }

    private async Task WaitUntilLiveAsync()
    {
        var until = DateTime.UtcNow.AddMinutes(2);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
