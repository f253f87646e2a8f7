using System.Net;
using System.Security.Cryptography;
using System.Text;
using Catalog.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Catalog.Api.Access;

/// <summary>
/// The operator on this machine, as the service knows them: a token made at start and written, with where the service
/// listens, to <c>{DataDirectory}/service.json</c> (<see cref="LocalService"/>, readable by the service's user only) once
/// the server listens; the file is removed at stop. A request bearing the token is the operator: an admin who may also
/// name the actor and ask for what reads this machine's disk (a folder import). An in-memory test server listens nowhere
/// and writes no file.
/// </summary>
public sealed class LocalOperator(CatalogSettings settings, IServer server, IHostApplicationLifetime lifetime, ILogger<LocalOperator> logger)
    : IHostedService
{
    public const string Name = "operator";

    /// <summary>The token, for this process's tests (a request bearing it is the operator).</summary>
    public string Token { get; } = LocalService.NewToken();

    public bool Matches(string presented) =>
        presented.StartsWith("op_", StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(Token));

    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(Publish);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        try
        {
            LocalService.Remove(settings.DataDirectory, Environment.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not remove {File}: {Message}", LocalService.PathIn(settings.DataDirectory), e.Message);
        }
        return Task.CompletedTask;
    }

    private void Publish()
    {
        var urls = Addresses(server);
        if (urls.Count == 0) return; // not listening on a socket (an in-memory test server)
        try
        {
            new LocalService(Environment.ProcessId, urls, Token).Write(settings.DataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not write {File} ({Message}): the CLI on this machine will import by itself, not through the service",
                LocalService.PathIn(settings.DataDirectory), e.Message);
        }
    }

    /// <summary>Where the server listens, as this machine reaches it; none for a server on no socket (an in-memory test server).</summary>
    public static List<string> Addresses(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Local).OfType<string>().ToList() ?? [];

    /// <summary>An address as this machine reaches it: a wildcard host (or <c>localhost</c>) as the loopback address; a Unix socket left out.</summary>
    public static string? Local(string address)
    {
        if (address.Contains("://unix:", StringComparison.OrdinalIgnoreCase)) return null; // a Unix socket: no TCP address reaches it
        var at = address.Replace("://+:", "://localhost:").Replace("://*:", "://localhost:");
        if (!Uri.TryCreate(at, UriKind.Absolute, out var uri)) return null;
        var host = uri.Host switch
        {
            "0.0.0.0" or "localhost" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ when IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && ip.Equals(IPAddress.IPv6Any) => "[::1]",
            _ => uri.Host,
        };
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
