using Catalog.Projections;
using Catalog.Infrastructure.Database;
using Catalog.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Catalog.Infrastructure.Tests;

/// <summary>The launcher the service uses when no connection string is configured, run for real.</summary>
public sealed class PrivatePostgresClusterTests : IDisposable
{
    private readonly TempDirectory _root = new("catalog-cluster-test-");

    public PrivatePostgresClusterTests()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_root.Path, (UnixFileMode)0b111_101_101);
    }

    private CatalogSettings Settings => new(null, _root["data"], null, CatalogSettings.DefaultMaxUploadBytes);

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task initdbs_on_first_start_listens_on_loopback_only_and_keeps_data_across_restarts()
    {
        await using (var first = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance))
        {
            Assert.Contains("Host=127.0.0.1", first.ConnectionString);
            Assert.Equal("127.0.0.1", await Scalar(first.ConnectionString, "show listen_addresses"));
            Assert.Equal("", await Scalar(first.ConnectionString, "show unix_socket_directories"));
            Assert.Equal("on", await Scalar(first.ConnectionString, "show fsync"));
            await Scalar(first.ConnectionString, "create table kept (v text); insert into kept values ('still here')");
        }
        Assert.False(File.Exists(Path.Combine(Settings.ClusterDirectory, "postmaster.pid")), "the cluster should be stopped on dispose");

        await using var second = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);
        Assert.Equal("still here", await Scalar(second.ConnectionString, "select v from kept"));
    }

    [Fact]
    public async Task only_the_password_kept_beside_the_cluster_gets_in()
    {
        await using var database = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);
        var file = PrivatePostgresCluster.PasswordFileOf(Settings.ClusterDirectory);

        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(password.Length >= 40);
        Assert.Contains($"Password={password}", database.ConnectionString);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(Settings.ClusterDirectory, "pg_hba.conf")), l => !l.StartsWith('#') && l.EndsWith("trust"));

        var without = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = null, Pooling = false }.ConnectionString;
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "guess", Pooling = false }.ConnectionString;
        await Assert.ThrowsAnyAsync<Exception>(() => Scalar(without, "select 1"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Scalar(wrong, "select 1"));
        Assert.Equal("28P01", refused.SqlState); // invalid_password
    }

    [Fact]
    public async Task a_cluster_that_trusted_local_users_is_made_to_ask_for_a_password_at_its_next_start()
    {
        await (await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance)).DisposeAsync();
        // As clusters were made before: every local connection trusted, no password file.
        var hba = Path.Combine(Settings.ClusterDirectory, "pg_hba.conf");
        File.WriteAllLines(hba, File.ReadAllLines(hba).Select(l => l.StartsWith('#') ? l : l.Replace("scram-sha-256", "trust")));
        File.Delete(PrivatePostgresCluster.PasswordFileOf(Settings.ClusterDirectory));

        await using var database = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);

        Assert.Equal(1, await Scalar(database.ConnectionString, "select 1"));
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "guess", Pooling = false }.ConnectionString;
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => Scalar(wrong, "select 1"))).SqlState);
    }

    [Fact]
    public async Task a_second_process_reuses_the_running_cluster_and_leaves_it_running()
    {
        await using var service = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);
        var binaries = PostgresBinaries.Find(null)!;

        // The CLI, while the service runs: same folder, same server, and it must not stop it.
        var cli = await PrivatePostgresCluster.StartAsync(binaries, new PrivateClusterOptions(Settings.ClusterDirectory), NullLogger.Instance);
        Assert.False(cli.OwnsServer);
        Assert.Equal(service.ConnectionString, cli.ConnectionString);
        await cli.DisposeAsync();

        Assert.Equal(1, await Scalar(service.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task beside_a_live_service_the_cli_needs_no_server_programs()
    {
        await using var service = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);

        // The CLI reuses the running cluster: it starts, stops and checks nothing with pg_ctl, so it never looks for it.
        var cli = await CatalogDatabase.OpenAsync(Settings with { PostgresBinDirectory = _root["nothing-here"] }, NullLogger.Instance);
        Assert.Equal(service.ConnectionString, cli.ConnectionString);
        Assert.Equal(1, await Scalar(cli.ConnectionString, "select 1"));
        await cli.DisposeAsync();

        Assert.Equal(1, await Scalar(service.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task a_stale_postmaster_pid_is_not_taken_for_a_running_server()
    {
        await (await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance)).DisposeAsync();
        // As a server killed with -9 leaves it: postmaster.pid naming a process that is gone, and a port nobody listens on.
        int gonePid;
        using (var gone = System.Diagnostics.Process.Start("true")!)
        {
            gone.WaitForExit();
            gonePid = gone.Id;
        }
        var pidFile = Path.Combine(Settings.ClusterDirectory, "postmaster.pid");
        await File.WriteAllLinesAsync(pidFile, [$"{gonePid}", Settings.ClusterDirectory, "1700000000", "1", "", "127.0.0.1", "0 0", "ready"]);

        await using var database = await CatalogDatabase.OpenAsync(Settings, NullLogger.Instance);

        Assert.DoesNotContain("Port=1;", database.ConnectionString);
        Assert.Equal(1, await Scalar(database.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task a_configured_connection_string_wins()
    {
        var settings = Settings with { ConnectionString = "Host=db.example;Database=catalog;Username=u" };
        await using var database = await CatalogDatabase.OpenAsync(settings, NullLogger.Instance);
        Assert.Equal(settings.ConnectionString, database.ConnectionString);
        Assert.False(Directory.Exists(settings.ClusterDirectory));
    }

    [Fact]
    public async Task without_binaries_the_error_says_how_to_get_postgresql()
    {
        var settings = Settings with { PostgresBinDirectory = _root["nothing-here"] };
        var error = await Assert.ThrowsAsync<PostgresUnavailableException>(() => CatalogDatabase.OpenAsync(settings, NullLogger.Instance));
        Assert.Contains("ConnectionStrings__Catalog", error.Message);
        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains(_root["nothing-here"], error.Message);
    }

    public void Dispose() => _root.Dispose();
    [Fact]
    public void the_test_sweep_deletes_only_clusters_no_live_process_runs_or_owns()
    {
        using var dead = System.Diagnostics.Process.Start("true")!;
        dead.WaitForExit();
        using var live = System.Diagnostics.Process.Start("sleep", "60")!;
        try
        {
            string Leftover(string name, int? ownerPid = null, int? serverPid = null, TimeSpan? age = null)
            {
                var directory = _root[name];
                Directory.CreateDirectory(Path.Combine(directory, "cluster"));
                File.WriteAllText(Path.Combine(directory, "cluster", "PG_VERSION"), "15");
                if (ownerPid is { } owner) File.WriteAllText(Path.Combine(directory, "cluster.owner"), owner.ToString());
                if (serverPid is { } server)
                {
                    File.WriteAllText(Path.Combine(directory, "cluster", "postmaster.pid"), $"{server}\n{directory}/cluster\n0\n54329\n");
                }
                if (age is { } old) Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow - old);
                return directory;
            }

            var ownerDied = Leftover("catalog-test-pg-owner-died", ownerPid: dead.Id);
            var stoppedNotDeleted = Leftover("catalog-test-pg-stopped", age: TimeSpan.FromHours(2));
            var owned = Leftover("catalog-test-pg-owned", ownerPid: live.Id);
            var serverRunning = Leftover("catalog-test-pg-running", ownerPid: dead.Id, serverPid: live.Id);
            var starting = Leftover("catalog-test-pg-starting");
            var other = Leftover("catalog-cluster-other", ownerPid: dead.Id, age: TimeSpan.FromHours(2));

            var deleted = TestPostgres.SweepLeftovers(_root.Path, TimeSpan.FromHours(1));

            Assert.Equal(new[] { ownerDied, stoppedNotDeleted }.Order(), deleted.Order());
            Assert.False(Directory.Exists(ownerDied));
            Assert.False(Directory.Exists(stoppedNotDeleted));
            Assert.All(new[] { owned, serverRunning, starting, other }, kept => Assert.True(Directory.Exists(kept), kept));
        }
        finally
        {
            live.Kill();
        }
    }
}
