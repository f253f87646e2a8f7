using Marten;
using Marten.Services;
using Npgsql;
using Catalog.Projections.Views;

namespace Catalog.Application;

/// <summary>
/// The session a command writes with: an ordinary one of the store, whose <c>SaveChangesAsync</c> commits; one whose
/// <c>SaveChangesAsync</c> sends every statement of the commit in a transaction of its own connection and leaves it open, committed
/// by <see cref="CommitAsync"/> (a group's registrations send their events while their bytes are made durable, and commit once they
/// are); or, in a <see cref="Rehearsal"/>, one in the rehearsal's transaction, whose <c>SaveChangesAsync</c> sends every statement of
/// the commit to PostgreSQL to be built and checked, and which is undone with the rest of the rehearsal.
/// </summary>
public sealed class WriteSession : IAsyncDisposable
{
    private readonly Rehearsal? _rehearsal;
    private readonly NpgsqlTransaction? _held;

    private WriteSession(IDocumentSession session, Rehearsal? rehearsal = null, NpgsqlTransaction? held = null) =>
        (Session, _rehearsal, _held) = (session, rehearsal, held);

    public IDocumentSession Session { get; }

    /// <param name="rehearsal">A rehearsal's: its commits sent into the rehearsal's transaction, one session at a time.</param>
    public static async Task<WriteSession> OpenAsync(IDocumentStore store, Rehearsal? rehearsal, CancellationToken ct) =>
        rehearsal is null ? new WriteSession(store.LightweightSession()) : new WriteSession(await rehearsal.EnterAsync(store, ct), rehearsal);

    /// <summary>
    /// A session whose <c>SaveChangesAsync</c> sends the commit's statements and does not commit them: <see cref="CommitAsync"/> does,
    /// and disposing it before rolls them back. In a rehearsal, the rehearsal's session (<see cref="OpenAsync"/>), which
    /// <see cref="CommitAsync"/> leaves to the rehearsal.
    /// </summary>
    public static async Task<WriteSession> OpenHeldAsync(IDocumentStore store, Rehearsal? rehearsal, CancellationToken ct)
    {
        if (rehearsal is not null) return await OpenAsync(store, rehearsal, ct);
        var transaction = await Transactions.BeginAsync(store, ct);
        return new WriteSession(store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false)), held: transaction);
    }

    /// <summary>Commits what <c>SaveChangesAsync</c> sent (a session of <see cref="OpenHeldAsync"/>), then waits as every commit of the
    /// store does before it is acknowledged (<see cref="ViewChanges.SettleAsync()"/>).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_held is null) return;
        await _held.CommitAsync(ct);
        await ViewChanges.SettleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        if (_rehearsal is not null) await _rehearsal.LeaveAsync();
        if (_held is not null) await Transactions.EndAsync(_held);
    }
}

/// <summary>A transaction of a connection of its own, opened from the store's database, for sessions that commit when told.</summary>
internal static class Transactions
{
    public static async Task<NpgsqlTransaction> BeginAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            return await connection.BeginTransactionAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends it (rolled back unless committed) and closes its connection.</summary>
    public static async ValueTask EndAsync(NpgsqlTransaction transaction)
    {
        var connection = transaction.Connection;
        try
        {
            await transaction.DisposeAsync();
        }
        catch (NpgsqlException)
        {
            // the connection is gone, and PostgreSQL rolled the transaction back with it
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// A run of commands whose writes are sent to PostgreSQL and then undone: one transaction of a connection of its own, which
/// no <c>SaveChangesAsync</c> commits, rolled back when this goes. The service's start runs an import's code to the end this
/// way (<c>FileSystemImport.RehearseAsync</c>): every statement of every commit is built, sent and checked, and no row, view,
/// total or version of the views outlives it. Its commits go in turn, each in a savepoint, so a later one sees what an earlier
/// one wrote — the files' registrations find the production the rehearsal created, and are put into it — and one that fails
/// (someone took a filename meanwhile) is undone alone. Only sequences move — a rolled-back append skips event numbers, as any
/// failed commit does — so a rehearsal draws no asset id and moves no id sequence itself.
/// </summary>
public sealed class Rehearsal : IAsyncDisposable
{
    private const string Step = "rehearsed_commit";
    private readonly NpgsqlTransaction _transaction;
    private readonly SemaphoreSlim _turn = new(1, 1);

    private Rehearsal(NpgsqlTransaction transaction) => _transaction = transaction;

    public static async Task<Rehearsal> BeginAsync(IDocumentStore store, CancellationToken ct)
    {
        var transaction = await Transactions.BeginAsync(store, ct);
        return new Rehearsal(transaction);
    }

    /// <summary>A session in the rehearsal's transaction, once the one before it has gone; its writes start at a savepoint.</summary>
    internal async Task<IDocumentSession> EnterAsync(IDocumentStore store, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            await _transaction.SaveAsync(Step, ct);
            return store.LightweightSession(SessionOptions.ForTransaction(_transaction, shouldAutoCommit: false));
        }
        catch
        {
            _turn.Release();
            throw;
        }
    }

    /// <summary>The session has gone: what it wrote is kept for the steps after it, unless its commit failed (then undone alone).</summary>
    internal async ValueTask LeaveAsync()
    {
        try
        {
            try
            {
                await _transaction.ReleaseAsync(Step, CancellationToken.None);
            }
            catch (PostgresException)
            {
                // its commit failed and aborted the transaction: back to before it
                await _transaction.RollbackAsync(Step, CancellationToken.None);
                await _transaction.ReleaseAsync(Step, CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // the connection is gone (the rehearsal is cancelled): the steps after this one fail, and nothing is kept
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transactions.EndAsync(_transaction); // rolled back
        }
        finally
        {
            _turn.Dispose();
        }
    }
}
