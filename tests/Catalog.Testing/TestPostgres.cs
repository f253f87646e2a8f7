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
/// launcher (in a temporary folder, fsync off, removed when the process ends, or by the next test process's sweep
/// when the runner ends this one first).</item>
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
        SweepLeftovers(Path.GetTempPath(), TimeSpan.FromHours(1));
        var directory = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
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

    private const string FolderPrefix = "catalog-test-pg-";

    /// <summary>
    /// Deletes the private clusters earlier test processes left in <paramref name="root"/>: the test host can be ended by
    /// the runner between stopping its server and deleting its folder (~100 MB each), so the exit handler alone leaks one
    /// folder per test project and run. A folder goes when no live process runs its server or owns it; one with no owner
    /// file (still starting, or stopped but not deleted) only once it is older than <paramref name="unownedAfter"/>.
    /// Returns the folders deleted.
    /// </summary>
    public static IReadOnlyList<string> SweepLeftovers(string root, TimeSpan unownedAfter)
    {
        var deleted = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(root, FolderPrefix + "*"))
        {
            var cluster = Path.Combine(directory, "cluster");
            if (PrivatePostgresCluster.IsInUse(cluster)) continue;
            var owned = File.Exists(PrivatePostgresCluster.OwnerFileOf(cluster));
            if (!owned && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) < unownedAfter) continue;
            if (TryDelete(directory)) deleted.Add(directory);
        }
        return deleted;
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

    private static bool TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // best effort: the next test process's sweep tries again
        }
    }
}
