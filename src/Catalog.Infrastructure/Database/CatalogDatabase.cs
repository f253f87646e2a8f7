using Microsoft.Extensions.Logging;

namespace Catalog.Infrastructure.Database;

/// <summary>
/// The PostgreSQL the catalog uses: the configured connection string when there is one; otherwise a
/// private cluster under the data directory, started (and later stopped) by this process, or reused
/// when another process of the catalog already runs it.
/// </summary>
public sealed class CatalogDatabase : IAsyncDisposable
{
    private readonly PrivatePostgresCluster? _cluster;

    private CatalogDatabase(string connectionString, PrivatePostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    public string ConnectionString { get; }

    /// <summary>A human description for the start-up log (never the password).</summary>
    public string Description => _cluster?.ToString() ?? "the PostgreSQL server of ConnectionStrings:Catalog";

    public static async Task<CatalogDatabase> OpenAsync(CatalogSettings settings, ILogger logger, CancellationToken ct = default)
    {
        if (settings.ConnectionString is { } configured) return new CatalogDatabase(configured, null);

        // Found when needed: a cluster the service already runs is reused without them.
        var binaries = new Lazy<PostgresBinaries>(() => PostgresBinaries.Find(settings.PostgresBinDirectory) ?? throw new PostgresUnavailableException(
            (settings.PostgresBinDirectory is { Length: > 0 } binDirectory
                ? $"No PostgreSQL to use: Catalog:PostgresBinDirectory is \"{binDirectory}\", which does not hold initdb, pg_ctl and postgres. "
                : "No PostgreSQL to use. ") +
            "The catalog needs either a PostgreSQL server of yours — set the connection string " +
            "ConnectionStrings__Catalog, e.g. \"Host=localhost;Port=5432;Database=catalog;Username=postgres;Password=secret\" " +
            "(or use docker compose up) — or the PostgreSQL server programs (initdb, pg_ctl, postgres) on this machine, " +
            $"so it can run a private cluster under {settings.ClusterDirectory}: install them with " +
            "\"sudo apt-get install postgresql\" (Debian/Ubuntu), \"sudo dnf install postgresql-server\" (Fedora) or " +
            "\"brew install postgresql@16\" (macOS), or point Catalog__PostgresBinDirectory at the folder that holds them."));

        var cluster = await PrivatePostgresCluster.StartAsync(binaries, new PrivateClusterOptions(settings.ClusterDirectory), logger, ct);
        return new CatalogDatabase(cluster.ConnectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
