using System.Text.Json;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Catalog.Api.Hosting;

/// <summary>
/// ASP.NET Core health checks: <c>/health/live</c> answers while the process runs; <c>/health/ready</c> also reaches
/// PostgreSQL and writes to the blob store (in portable mode: reads the file), and turns unhealthy (503) while either is
/// out — what a load balancer or an orchestrator asks before sending traffic.
/// </summary>
public static class Health
{
    /// <summary>The catalog's readiness: its PostgreSQL answers and its blob store takes writes.</summary>
    public static IHealthChecksBuilder AddCatalogChecks(this IHealthChecksBuilder checks) =>
        checks.AddCheck<DatabaseCheck>("database", tags: ["ready"]).AddCheck<BlobStoreCheck>("blob_store", tags: ["ready"]);

    public static WebApplication MapCatalogHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).ExcludeFromDescription()
            .AllowAnonymous(); // load balancers and container health checks carry no key
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary><c>{"status": "healthy", "checks": {"database": {"status": …, "detail": …}, …}}</c></summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), detail = e.Value.Description }),
        }));
    }

    private sealed class DatabaseCheck(CatalogDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timeout = 3, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(ct);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
            }
        }
    }

    private sealed class BlobStoreCheck(CatalogSettings settings) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var probe = Path.Combine(settings.BlobDirectory, "tmp", $"health-{Guid.NewGuid():N}.lock");
            try
            {
                await File.WriteAllBytesAsync(probe, [1], ct);
                File.Delete(probe);
                return HealthCheckResult.Healthy("The blob store takes writes.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return HealthCheckResult.Unhealthy($"The blob store does not take writes: {e.Message}");
            }
        }
    }
}
