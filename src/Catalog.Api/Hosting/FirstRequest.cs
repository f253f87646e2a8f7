using System.Diagnostics;
using Catalog.Api.Access;
using Microsoft.AspNetCore.Hosting.Server;

namespace Catalog.Api.Hosting;

/// <summary>
/// Once the server listens, the service asks itself <c>GET /health/live</c>, in the background: the first request a server
/// answers builds every endpoint's request delegate and the router over them (~0.4 s on a 2-core machine), which would
/// otherwise be the wait of whoever asks first — a user's first import handed over by the CLI, a first page of the
/// gallery. A server listening on no TCP socket (an in-memory test server, a Unix socket alone) is not asked.
/// </summary>
public sealed class FirstRequest(IServer server, IHostApplicationLifetime lifetime, ILogger<FirstRequest> logger) : IHostedService
{
    public const string Route = "/health/live";
    private Task _asking = Task.CompletedTask;

    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(() => _asking = Task.Run(AskAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => _asking.WaitAsync(ct);

    private async Task AskAsync()
    {
        var addresses = LocalOperator.Addresses(server);
        if (addresses.Count == 0) return;
        var url = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses[0];
        // Its own loopback address: a development certificate this machine does not trust is still the service's own.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.GetAsync(Route, lifetime.ApplicationStopping);
            logger.LogInformation("Endpoints ready: the service's own first request (GET {Url}{Route}) answered {Status} in {Milliseconds} ms",
                url, Route, (int)response.StatusCode, watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // stopping: nobody will ask
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("The service's own first request (GET {Url}{Route}) failed ({Message}); the first request from outside builds the endpoints",
                url, Route, e.Message);
        }
    }
}
