using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Quarry.Server.Store;

/// <summary>
/// How the SQLite store handles concurrent writers. SQLite has one write lock per file; a writer that finds it
/// taken backs off (1, 2, 5 … 100 ms sleeps), so with a few concurrent writers requests queue for whole
/// seconds (the datastore bench's create p99 was 1.2 s at 8 clients). So every store transaction in this process
/// first takes an in-process FIFO gate, and then finds the lock free. The busy timeout stays as the fallback for
/// writers outside a transaction and for other processes (<c>quarry db migrate</c>).
/// </summary>
internal sealed class SqliteWriteGate : DbConnectionInterceptor, IDbTransactionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000;";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, SqliteWriteGate> ByStore = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>The connections holding the gate, so it is released exactly once whatever way the transaction ends.</summary>
    private readonly ConcurrentDictionary<DbConnection, byte> _holders = new();

    /// <summary>One gate per store file, shared by every context of this process.</summary>
    public static SqliteWriteGate For(string connectionString) => ByStore.GetOrAdd(connectionString, _ => new SqliteWriteGate());

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A transaction disposed without commit or rollback ends when its connection closes: release then at the latest.
    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (!_holders.ContainsKey(connection))
        {
            if (!_gate.Wait(WaitLimit)) throw Busy();
            _holders[connection] = 0;
        }
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (!_holders.ContainsKey(connection))
        {
            if (!await _gate.WaitAsync(WaitLimit, cancellationToken)) throw Busy();
            _holders[connection] = 0;
        }
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Transaction?.Connection ?? transaction.Connection);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(transaction.Connection);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(transaction.Connection);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(transaction.Connection);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(transaction.Connection);
        return Task.CompletedTask;
    }

    /// <summary>As SQLite itself would fail after its busy timeout, rather than wait forever.</summary>
    private static TimeoutException Busy() =>
        new("The SQLite store stayed busy with other writes for 30 seconds. For many concurrent writers, use PostgreSQL (--database).");

    private void Release(DbConnection? connection)
    {
        if (connection is not null && _holders.TryRemove(connection, out _)) _gate.Release();
    }
}
