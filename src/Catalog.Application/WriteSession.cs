using Marten;
using Marten.Services;
using Npgsql;

namespace Catalog.Application;

/// <summary>
/// The session a command writes with: an ordinary one of the store, whose <c>SaveChangesAsync</c> commits; or a
/// rehearsal's, whose writes are sent to PostgreSQL and then undone — it runs in a transaction of its own connection that
/// <c>SaveChangesAsync</c> does not commit, rolled back when this goes. The service's start runs an import's code to the
/// end this way (<c>FileSystemImport.RehearseAsync</c>): every statement of the commit is built, sent and checked, and no
/// row, view, total or version of the views outlives it. Only sequences move — a rolled-back append skips event numbers,
/// as any failed commit does — so a rehearsal draws no asset id and moves no id sequence itself.
/// </summary>
public sealed class WriteSession : IAsyncDisposable
{
    private readonly NpgsqlConnection? _connection;
    private readonly NpgsqlTransaction? _transaction;

    private WriteSession(IDocumentSession session, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null) =>
        (Session, _connection, _transaction) = (session, connection, transaction);

    public IDocumentSession Session { get; }

    /// <param name="undone">A rehearsal's: its commits sent, then rolled back.</param>
    public static async Task<WriteSession> OpenAsync(IDocumentStore store, bool undone, CancellationToken ct)
    {
        if (!undone) return new WriteSession(store.LightweightSession());
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(ct);
            return new WriteSession(store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false)), connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        if (_transaction is null) return;
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // the connection is gone, and PostgreSQL rolled the transaction back with it
        }
        finally
        {
            await _transaction.DisposeAsync();
            await _connection!.DisposeAsync();
        }
    }
}
