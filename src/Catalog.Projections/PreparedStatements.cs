using System.Data.Common;
using Npgsql;

namespace Catalog.Projections;

/// <summary>
/// Npgsql's automatic preparation, for the catalog's connections: a statement run a second time on a connection is
/// prepared there, so PostgreSQL parses and plans it once per connection instead of on every use. The catalog's
/// statements are a fixed set — the read queries, and on the write side Marten's event appends and view upserts — so a
/// few dozen slots hold them all. A connection string that sets <c>Max Auto Prepare</c> itself keeps its value:
/// <c>Max Auto Prepare=0</c> turns preparation off (e.g. behind a PgBouncer older than 1.21 in transaction mode).
/// </summary>
public static class PreparedStatements
{
    /// <summary>The connection string with automatic preparation of up to <paramref name="statements"/> statements per connection.</summary>
    public static NpgsqlConnectionStringBuilder Prepared(string connectionString, int statements)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!SetsMaxAutoPrepare(connectionString))
        {
            builder.MaxAutoPrepare = statements;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder;
    }

    /// <summary>Whether the string names <c>Max Auto Prepare</c> (in any of the spellings Npgsql takes: case and spaces aside).</summary>
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", ""), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
}
