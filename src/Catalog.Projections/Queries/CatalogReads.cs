using Npgsql;

namespace Catalog.Projections.Queries;

/// <summary>
/// The query side's own connections to the catalog database. The read queries are a handful of fixed
/// statements run over and over, so they are prepared once per connection (Npgsql auto-prepare) instead of
/// being parsed and planned on every request (<see cref="PreparedStatements"/>), and a connection is not reset
/// (<c>DISCARD ALL</c>) each time it goes back to the pool: the queries leave no session state behind. Measured at
/// 100,000 images: planning was 0.47 ms of a first page's 1 ms in PostgreSQL.
/// </summary>
public sealed class CatalogReads : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public CatalogReads(string connectionString)
    {
        var builder = PreparedStatements.Prepared(connectionString, statements: 32);
        builder.NoResetOnClose = true;
        _source = NpgsqlDataSource.Create(builder);
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => _source.OpenConnectionAsync(ct);

    /// <summary>A connection opened on the calling thread (for a thread of its own that blocks on it).</summary>
    public NpgsqlConnection Open() => _source.OpenConnection();

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
