using Catalog.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Catalog.Testing;

/// <summary>
/// The PostgreSQL server the tests run against, one per test process, never skipped:
/// <list type="number">
/// <item>the server of <c>CATALOG_TEST_CONNECTION_STRING</c> when it is set;</item>
/// <item>else a Testcontainers PostgreSQL when a Docker engine answers;</item>
/// <item>else a private cluster started from the PostgreSQL server binaries with the catalog's own
/// launcher (in a temporary folder, fsync off, removed when the process ends).</item>
/// </list>
/// Every fixture gets a database of its own in that server, so test projects and fixtures never share data.
/// </summary>
public static class TestPostgres
{
    public const string ConnectionStringVariable = "CATALOG_TEST_CONNECTION_STRING";

    private static readonly Lazy<Task<string>> Server = new(StartServerAsync);

    /// <summary>How the server was obtained, for test output.</summary>
    public static string Source { get; private set; } = "not started";

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "catalog_test")
    {
        var admin = await Server.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartServerAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } configured)
        {
            Source = $"{ConnectionStringVariable}";
            return configured;
        }

        if (await TryDockerAsync() is { } fromDocker)
        {
            Source = "Testcontainers";
            return fromDocker;
        }

        var binaries = PostgresBinaries.Find(null) ?? throw new InvalidOperationException(
            $"The tests need PostgreSQL: set {ConnectionStringVariable}, run a Docker engine, or install the PostgreSQL server binaries.");
        var directory = Directory.CreateTempSubdirectory("catalog-test-pg-").FullName;
        // Temp folders are created 700; the cluster may run as the postgres user, who must reach it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var cluster = await PrivatePostgresCluster.StartAsync(
            binaries, new PrivateClusterOptions(Path.Combine(directory, "cluster"), "postgres", Ephemeral: true), NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            TryDelete(directory);
        };
        Source = $"private cluster ({cluster})";
        return cluster.ConnectionString;
    }

    private static async Task<string?> TryDockerAsync()
    {
        if (!DockerMightAnswer()) return null;
        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Docker did not give a PostgreSQL ({e.GetType().Name}: {e.Message}); using the private cluster.");
            return null;
        }
    }

    /// <summary>A Docker engine needs a socket or a DOCKER_HOST; without either, don't even ask Testcontainers.</summary>
    private static bool DockerMightAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
