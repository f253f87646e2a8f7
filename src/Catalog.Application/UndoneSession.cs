using Marten;
using Marten.Services;
using Npgsql;

namespace Catalog.Application;

/// <summary>
/// A session whose writes are sent to PostgreSQL and then undone: it runs in a transaction of its own connection that its
/// <c>SaveChangesAsync</c> does not commit, and that is rolled back when this goes. What a rehearsal commits with (the
/// service's start runs an import's code to the end this way, <c>FileSystemImport.RehearseAsync</c>): every statement of
/// the commit is built, sent and checked, and no row, view, total or version of the views outlives it. Only sequences move —
/// a rolled-back append skips event numbers, as any failed commit does — so a rehearsal draws no asset id and moves no
/// id sequence itself.
/// </summary>
public sealed class UndoneSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private UndoneSession(NpgsqlConnection connection, NpgsqlTransaction transaction, IDocumentSession session) =>
        (_connection, _transaction, Session) = (connection, transaction, session);

    /// <summary>The session (dispose it before this; its commits are sent, never committed).</summary>
    public IDocumentSession Session { get; }

    public static async Task<UndoneSession> OpenAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(ct);
            return new UndoneSession(connection, transaction, store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false)));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        finally
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
