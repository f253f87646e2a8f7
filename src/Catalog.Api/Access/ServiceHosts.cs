using Catalog.Infrastructure.Access;
using Microsoft.AspNetCore.HostFiltering;

namespace Catalog.Api.Access;

/// <summary>
/// The host names the service answers to, and its first admin key. A request whose <c>Host</c> is not one of the hosts
/// of the configured URLs is a 400 — a web page whose name an attacker points at 127.0.0.1 (DNS rebinding) reaches
/// nothing. <c>AllowedHosts</c> set explicitly wins; URLs that listen on every address (<c>0.0.0.0</c>, <c>*</c>, <c>+</c>,
/// <c>[::]</c>) cannot say which names clients use, so they allow any until <c>AllowedHosts</c> is set.
/// </summary>
public static class ServiceHosts
{
    public static IServiceCollection AddAllowedHostsFromUrls(this IServiceCollection services, IConfiguration configuration)
    {
        services.PostConfigure<HostFilteringOptions>(options =>
        {
            if (!string.IsNullOrWhiteSpace(configuration["AllowedHosts"])) return; // the operator's own list (Microsoft's defaults read it)
            options.AllowedHosts = Of(configuration["urls"] ?? configuration["Urls"] ?? "http://localhost:5000");
            options.AllowEmptyHosts = false;
        });
        return services;
    }

    /// <summary>The hosts named by URLs such as <c>http://localhost:5080;https://catalog.example.com</c>.</summary>
    public static List<string> Of(string urls)
    {
        var hosts = new List<string>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
            host = host.Split('/')[0];
            host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
            switch (host.ToLowerInvariant())
            {
                case "0.0.0.0" or "*" or "+" or "[::]" or "":
                    return ["*"];
                case "localhost" or "127.0.0.1" or "[::1]":
                    hosts.AddRange(["localhost", "127.0.0.1", "[::1]"]);
                    break;
                default:
                    hosts.Add(host);
                    break;
            }
        }
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// The first admin key, at start: <c>Catalog:AdminKey</c> stored hashed when set; else, on the very first start, a key
    /// made and printed once on the console — never logged.
    /// </summary>
    public static WebApplication ProvisionAdminKey(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var made = keys.Provision(app.Configuration["Catalog:AdminKey"], "service start");
        if (made is not null)
        {
            Console.Out.WriteLine($"""

                ==================================================================================================
                 First start: an admin key was made. It is shown this once; only its SHA-256 is kept
                 ({keys.FilePath}).

                     {made}

                 Send it as 'Authorization: Bearer <key>' (or X-Api-Key); Swagger UI: "Authorize".
                 Make keys for people and programs:  catalog keys add NAME --role read|write|admin
                 List and revoke them:               catalog keys list | catalog keys revoke NAME
                 Automation sets the first key instead with Catalog:AdminKey (Catalog__AdminKey).
                ==================================================================================================

                """);
            Console.Out.Flush();
        }
        return app;
    }
}
