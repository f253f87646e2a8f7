using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Catalog.Infrastructure.Database;

/// <summary>How to run a private cluster: where it lives and whether it may trade durability for speed.</summary>
/// <param name="ClusterDirectory">The PostgreSQL data directory (initdb'd on first use).</param>
/// <param name="DatabaseName">The database the catalog uses inside the cluster.</param>
/// <param name="Ephemeral">
/// True for throw-away clusters (tests): fsync and synchronous commit are off. Never for the service.
/// </param>
/// <param name="Port">The port to listen on; a free one is picked when null.</param>
public sealed record PrivateClusterOptions(string ClusterDirectory, string DatabaseName = PrivatePostgresCluster.CatalogDatabaseName, bool Ephemeral = false, int? Port = null);

/// <summary>
/// A PostgreSQL cluster the catalog runs itself from the server binaries on the machine: initdb on first
/// use, loopback only (no Unix socket), a free port, run as the <c>postgres</c> user when this process is
/// root (PostgreSQL refuses root). If the cluster is already running (the API started it and the CLI
/// comes second), it is reused and left running; the process that started it stops it.
/// Only the catalog gets in: the <c>postgres</c> role has a generated password, kept beside the cluster in
/// <c>{cluster}.password</c> (mode 0600, readable by this user alone) — the service and the CLI read it there, and every
/// connection must give it (<c>scram-sha-256</c>). A cluster made before that (trusting local users) is brought to it
/// at its next start.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    /// <summary>The database the service and the CLI use in their cluster.</summary>
    public const string CatalogDatabaseName = "catalog";

    private readonly Lazy<PostgresBinaries> _binaries;
    private readonly PrivateClusterOptions _options;
    private readonly ILogger _logger;
    private bool _stopped;

    private readonly string _password;

    private PrivatePostgresCluster(Lazy<PostgresBinaries> binaries, PrivateClusterOptions options, ILogger logger, int port, bool ownsServer, string password)
    {
        _password = password;
        _binaries = binaries;
        _options = options;
        _logger = logger;
        Port = port;
        OwnsServer = ownsServer;
    }

    public int Port { get; }

    /// <summary>True when this process started the server (and so stops it on dispose).</summary>
    public bool OwnsServer { get; }

    public string ClusterDirectory => _options.ClusterDirectory;

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = ServiceUser,
        Password = _password,
        Database = _options.DatabaseName,
    }.ConnectionString;

    private string OwnerFile => OwnerFileOf(_options.ClusterDirectory);

    /// <summary>Where the process that started the cluster's server writes its pid (removed when it stops the server).</summary>
    public static string OwnerFileOf(string clusterDirectory) => Path.GetFullPath(clusterDirectory).TrimEnd('/') + ".owner";

    /// <summary>Where the <c>postgres</c> role's password is kept (mode 0600).</summary>
    public static string PasswordFileOf(string clusterDirectory) => Path.GetFullPath(clusterDirectory).TrimEnd('/') + ".password";

    public static Task<PrivatePostgresCluster> StartAsync(
        PostgresBinaries binaries, PrivateClusterOptions options, ILogger logger, CancellationToken ct = default) =>
        StartAsync(new Lazy<PostgresBinaries>(binaries), options, logger, ct);

    /// <summary>
    /// As above, with the server programs looked for only when they are needed: to initdb, start or stop the cluster.
    /// Reusing a cluster another live process runs (the CLI beside the service) needs none of them.
    /// </summary>
    public static async Task<PrivatePostgresCluster> StartAsync(
        Lazy<PostgresBinaries> binaries, PrivateClusterOptions options, ILogger logger, CancellationToken ct = default)
    {
        options = options with { ClusterDirectory = Path.GetFullPath(options.ClusterDirectory) };
        var runner = new Runner(logger);
        var password = Password(options.ClusterDirectory);

        if (!File.Exists(Path.Combine(options.ClusterDirectory, "PG_VERSION")))
        {
            await InitDbAsync(runner, binaries.Value, options, password, ct);
        }

        PrivatePostgresCluster cluster;
        var running = RunningPort(options.ClusterDirectory);
        if (running is int port)
        {
            // Someone runs it: the service while we are the CLI, or a process that died without stopping it.
            var ownerAlive = OwnerIsAlive(OwnerFileOf(options.ClusterDirectory));
            logger.LogInformation("Reusing the private PostgreSQL cluster in {Dir} on port {Port}", options.ClusterDirectory, port);
            cluster = new PrivatePostgresCluster(binaries, options, logger, port, ownsServer: !ownerAlive, password);
        }
        else
        {
            cluster = await StartServerAsync(runner, binaries, options, logger, password, ct);
        }
        await cluster.RequirePasswordAsync(ct);

        // The owner file is written once the database exists. So a process beside a live owner (the CLI beside the service,
        // both on the catalog's database) skips the check and its extra connection; any other database is made when missing.
        if (cluster.OwnsServer || options.DatabaseName != CatalogDatabaseName)
        {
            await cluster.EnsureDatabaseAsync(ct);
        }
        if (cluster.OwnsServer)
        {
            await File.WriteAllTextAsync(cluster.OwnerFile, Environment.ProcessId.ToString(), ct);
        }
        return cluster;
    }

    /// <summary>The cluster's password: read from its file, or made now (32 random bytes) and written there, readable by this user alone.</summary>
    private static string Password(string clusterDirectory)
    {
        var file = PasswordFileOf(clusterDirectory);
        // Read when it exists, as on every start but the first: making one would load the system's crypto library for nothing.
        if (TryRead(file) is { Length: > 0 } kept) return kept;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            var made = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(made));
            stream.Flush(flushToDisk: true);
            return made;
        }
        catch (IOException) when (File.Exists(file))
        {
            return File.ReadAllText(file).Trim(); // made by a process starting beside this one
        }

        static string? TryRead(string file)
        {
            try
            {
                return File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
    }

    private static async Task InitDbAsync(Runner runner, PostgresBinaries binaries, PrivateClusterOptions options, string password, CancellationToken ct)
    {
        Directory.CreateDirectory(options.ClusterDirectory);
        runner.RequireReachableByServiceUser(options.ClusterDirectory);
        runner.HandToServiceUser(options.ClusterDirectory);
        // initdb reads the password from a file (never from its command line, which others can see); it runs as the
        // service user, so that user gets this short-lived copy.
        var passwordFile = Path.Combine(options.ClusterDirectory, "..", $".{Path.GetFileName(options.ClusterDirectory)}.initdb-password");
        await File.WriteAllTextAsync(passwordFile, password, ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        runner.HandToServiceUser(passwordFile);
        (int ExitCode, string Output) result;
        try
        {
            result = await runner.RunAsync(binaries.InitDb, ct,
                "-D", options.ClusterDirectory, "-U", ServiceUser, "--auth=scram-sha-256", $"--pwfile={Path.GetFullPath(passwordFile)}", "-E", "UTF8",
                "--no-locale");
        }
        finally
        {
            File.Delete(passwordFile);
        }
        if (result.ExitCode != 0)
        {
            throw new PostgresUnavailableException(
                $"initdb failed for the private PostgreSQL cluster in {options.ClusterDirectory} (exit {result.ExitCode}). " +
                $"Check that the directory is writable{(runner.AsRoot ? " and reachable by the 'postgres' user" : "")}, " +
                $"or set ConnectionStrings__Catalog to use a server of your own.\n{result.Output}");
        }
    }

    private static async Task<PrivatePostgresCluster> StartServerAsync(
        Runner runner, Lazy<PostgresBinaries> binaries, PrivateClusterOptions options, ILogger logger, string password, CancellationToken ct)
    {
        var settings = "-c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (options.Ephemeral)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        var lastOutput = "";
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = attempt == 1 && options.Port is { } wanted ? wanted : FreeLoopbackPort();
            var result = await runner.RunAsync(binaries.Value.PgCtl, ct,
                "-D", options.ClusterDirectory, "-l", Path.Combine(options.ClusterDirectory, "server.log"),
                "-o", $"-p {port} {settings}", "-w", "-t", "60", "start");
            if (result.ExitCode == 0)
            {
                logger.LogInformation("Started the private PostgreSQL cluster in {Dir} on 127.0.0.1:{Port}", options.ClusterDirectory, port);
                return new PrivatePostgresCluster(binaries, options, logger, port, ownsServer: true, password);
            }
            lastOutput = result.Output + TailOf(Path.Combine(options.ClusterDirectory, "server.log"));
            logger.LogWarning("Starting PostgreSQL on port {Port} failed (attempt {Attempt}): {Output}", port, attempt, lastOutput);
        }
        throw new PostgresUnavailableException(
            $"The private PostgreSQL cluster in {options.ClusterDirectory} did not start.\n{lastOutput}");
    }

    /// <summary>
    /// A cluster made when the catalog still trusted local connections (initdb --auth=trust) is given the password and
    /// made to ask for it: the role's password is set, <c>trust</c> becomes <c>scram-sha-256</c> in pg_hba.conf, and the
    /// server reloads it. A cluster that already asks is left alone.
    /// </summary>
    private async Task RequirePasswordAsync(CancellationToken ct)
    {
        var hba = Path.Combine(_options.ClusterDirectory, "pg_hba.conf");
        var lines = File.ReadAllLines(hba); // a few KB: not worth an asynchronous read's first-use cost at every start
        static bool Trusting(string line) => !line.TrimStart().StartsWith('#') && line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).LastOrDefault() == "trust";
        if (!lines.Any(Trusting)) return;

        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var alter = new NpgsqlCommand($"alter role \"{ServiceUser}\" password '{_password.Replace("'", "''")}'", connection);
            await alter.ExecuteNonQueryAsync(ct);
            await File.WriteAllLinesAsync(hba, lines.Select(l => Trusting(l) ? l[..l.LastIndexOf("trust", StringComparison.Ordinal)] + "scram-sha-256" : l), ct);
            await using var reload = new NpgsqlCommand("select pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync(ct);
        }
        _logger.LogInformation("The private PostgreSQL cluster in {Dir} now asks for the password in {File}", _options.ClusterDirectory,
            PasswordFileOf(_options.ClusterDirectory));
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        // Only text and integers go over it: no loading of the server's types (a round trip and a large query).
        var admin = new NpgsqlDataSourceBuilder(ConnectionString);
        admin.ConnectionStringBuilder.Database = "postgres";
        admin.ConnectionStringBuilder.Pooling = false;
        admin.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        await using var source = admin.Build();
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", _options.DatabaseName);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{_options.DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Stops the server if this process started it; a reused server is left running.</summary>
    public async Task StopAsync()
    {
        if (_stopped || !OwnsServer) return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        var result = await new Runner(_logger).RunAsync(_binaries.Value.PgCtl, CancellationToken.None,
            "-D", _options.ClusterDirectory, "-m", "fast", "-w", "stop");
        if (result.ExitCode != 0)
        {
            _logger.LogWarning("Stopping the private PostgreSQL cluster failed: {Output}", result.Output);
        }
        File.Delete(OwnerFile);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// The port of the server running this cluster, or null when none does: what <c>pg_ctl status</c> checks (postmaster.pid
    /// names a live process), read here without starting pg_ctl — a short command's start is mostly such fixed costs.
    /// </summary>
    private static int? RunningPort(string clusterDirectory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(clusterDirectory, "postmaster.pid"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        // Line 1: the postmaster's pid; line 4: the port it listens on.
        if (lines.Length < 4 || !int.TryParse(lines[0].Trim(), out var pid) || !IsAlive(pid)) return null;
        return int.TryParse(lines[3].Trim(), out var port) ? port : null;
    }

    private static bool IsAlive(int pid)
    {
        // Linux: a live process has a /proc entry whose state is not zombie or dead (what Process.GetProcessById reads,
        // without loading that class at every start).
        if (OperatingSystem.IsLinux())
        {
            if (pid <= 0) return false;
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
                return state.Length > 0 && state[0] is not ('Z' or 'X');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) // gone, or going as it was read
            {
                return false;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when a live process runs this cluster's server, or a live process started it and still holds it (its owner file):
    /// what must be true of a cluster's folder before anything deletes it.
    /// </summary>
    public static bool IsInUse(string clusterDirectory) =>
        RunningPort(clusterDirectory) is not null || OwnerIsAlive(OwnerFileOf(clusterDirectory));

    private static bool OwnerIsAlive(string ownerFile)
    {
        if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile).Trim(), out var pid)) return false;
        return pid == Environment.ProcessId // started earlier by this very process: that opener stops it
               || IsAlive(pid);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string TailOf(string file)
    {
        try
        {
            return File.Exists(file) ? "\n" + string.Join('\n', File.ReadLines(file).TakeLast(15)) : "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Runs the server programs, as the postgres user when this process is root.</summary>
    private sealed class Runner(ILogger logger)
    {
        public bool AsRoot { get; } = OperatingSystem.IsLinux() && geteuid() == 0;

        [DllImport("libc", SetLastError = true)]
        private static extern uint geteuid();

        /// <summary>
        /// The postgres user must be able to walk down to the cluster's folder; a private parent (mode 700,
        /// e.g. /root or a temp folder) stops it, and initdb would only say "Permission denied".
        /// </summary>
        public void RequireReachableByServiceUser(string directory)
        {
            if (!AsRoot || OperatingSystem.IsWindows()) return;
            for (var dir = Path.GetDirectoryName(Path.GetFullPath(directory)); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
                {
                    throw new PostgresUnavailableException(
                        $"PostgreSQL refuses to run as root, so the private cluster runs as the '{ServiceUser}' user — which cannot reach " +
                        $"{directory}, because {dir} is closed to other users. Set Catalog:DataDirectory to a folder outside {dir}, " +
                        $"run \"chmod o+x {dir}\", or set ConnectionStrings__Catalog to use a server of your own.");
                }
            }
        }

        public void HandToServiceUser(string directory)
        {
            if (!AsRoot) return;
            var chown = Process.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory]);
            chown.WaitForExit();
            if (chown.ExitCode != 0)
            {
                throw new PostgresUnavailableException(
                    $"Could not hand {directory} to the '{ServiceUser}' user (chown exit {chown.ExitCode}). " +
                    "PostgreSQL refuses to run as root, so a private cluster needs that user; " +
                    "create it (useradd postgres) or set ConnectionStrings__Catalog.");
            }
        }

        public async Task<(int ExitCode, string Output)> RunAsync(string program, CancellationToken ct, params string[] args)
        {
            var start = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            if (AsRoot)
            {
                start.FileName = "runuser";
                foreach (var a in new[] { "-u", ServiceUser, "--", program }) start.ArgumentList.Add(a);
            }
            else
            {
                start.FileName = program;
            }
            foreach (var a in args) start.ArgumentList.Add(a);

            logger.LogDebug("Running {Program} {Args}", program, string.Join(' ', args));
            using var process = Process.Start(start) ?? throw new PostgresUnavailableException($"Could not start {program}.");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
    }

    public override string ToString() => $"PostgreSQL ({(_binaries.IsValueCreated ? _binaries.Value.Directory : "running")}) in {ClusterDirectory} on 127.0.0.1:{Port}";
}

/// <summary>No PostgreSQL could be reached or started. The message is written for the person running the service.</summary>
public sealed class PostgresUnavailableException(string message) : Exception(message);
