using System.Net;
using Catalog.Api.Admin;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Database;
using Catalog.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Catalog.Api.Tests.Faults.Acknowledged;

namespace Catalog.Api.Tests.Faults;

/// <summary>
/// PostgreSQL stopped under a stream of uploads and started again: while it is gone every request that needs it is a
/// 503 with Retry-After and the readiness check fails; when it is back the service works again without a restart, the
/// background upkeep that failed meanwhile goes on, and nothing acknowledged is lost.
/// </summary>
public sealed class LosingPostgres
{
    private sealed class Service(string connectionString, string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Catalog", connectionString);
            builder.UseSetting("Catalog:DataDirectory", dataDirectory);
            builder.UseSetting("Catalog:TrashRetentionDays", "0"); // the trash is due at once: the purge has work after the outage
            builder.UseSetting("Catalog:AdminKey", CatalogApp.AdminKey);
        }

        public HttpClient CreateKeyedClient() => CreateClient().WithKey(CatalogApp.AdminKey);
    }

    [Fact]
    public async Task uploads_across_a_stop_and_a_start_lose_nothing_and_the_service_recovers_by_itself()
    {
        using var root = new TempDirectory("catalog-outage-");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root.Path, (UnixFileMode)0b111_101_101);
        var binaries = PostgresBinaries.Find(null)!;
        var options = new PrivateClusterOptions(root["cluster"], Ephemeral: true);
        var cluster = await PrivatePostgresCluster.StartAsync(binaries, options, NullLogger.Instance);
        options = options with { Port = cluster.Port };
        var data = root["data"];
        var blobs = Path.Combine(data, "blobs");

        await using var service = new Service(cluster.ConnectionString, data);
        var client = service.CreateKeyedClient();
        var trashed = await client.RegisteredImage("trashed.png", seed: 9);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/images/{trashed.Long("id")}")).StatusCode);

        var acknowledged = new Acknowledged();
        using var stop = new CancellationTokenSource();
        var uploads = acknowledged.UploadUntilAsync(() => service.CreateKeyedClient(), stop.Token);
        await UntilAsync(() => Task.FromResult(acknowledged.Count >= 5), "uploads before the outage");

        await cluster.StopAsync();
        await UntilAsync(() => Task.FromResult(acknowledged.Answers.Count(a => a == "503") >= 3), "503s during the outage");
        var unavailable = await client.GetAsync("/api/gallery/images");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("5", unavailable.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Contains("cannot be reached", await unavailable.Problem(HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        // The trash's upkeep, started while the database is gone: it fails, logs, backs off — and does not stop.
        var log = new ListLogger<TrashHousekeeping>();
        var housekeeping = ActivatorUtilities.CreateInstance<TrashHousekeeping>(service.Services, log);
        await housekeeping.StartAsync(CancellationToken.None);
        await UntilAsync(() => Task.FromResult(log.Lines.Any(l => l.Contains("failed (1 in a row)"))), "the purge's first failure");

        var before = acknowledged.Count;
        await using var restarted = await PrivatePostgresCluster.StartAsync(binaries, options, NullLogger.Instance);
        await UntilAsync(() => Task.FromResult(acknowledged.Count >= before + 5), "uploads after the outage, with no restart of the service");
        await stop.CancelAsync();
        await uploads;

        Assert.All(acknowledged.Answers, answer => Assert.Contains(answer, new[] { "201", "503" }));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        await acknowledged.AllComeBackAsync(client);
        await NoEventNamesAMissingBlobAsync(restarted.ConnectionString, blobs);
        Assert.Empty(Staging(blobs));
        await UntilAsync(async () => (await client.GetJson($"/api/history/images/{trashed.Long("id")}")).GetProperty("items")
            .EnumerateArray().Any(e => e.Str("type") == "image.purged"), "the purge to go on once the database is back");
        await housekeeping.StopAsync(CancellationToken.None);
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get { lock (_lines) return _lines.ToList(); }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add(formatter(state, exception));
        }
    }
}
