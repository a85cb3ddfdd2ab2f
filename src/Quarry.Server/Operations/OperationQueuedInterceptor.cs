using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Quarry.Server.Operations;

/// <summary>
/// Wakes this instance's workers as soon as queued operations are visible to them: after the save that added
/// them, or after the commit when the save ran inside a transaction. Every path that queues an operation
/// (the operations API, <c>trigger_sync</c>, bulk create, config import) gets this without remembering to.
/// One instance per <see cref="Store.QuarryDb"/>, because it remembers what the current transaction queued.
/// </summary>
internal sealed class OperationQueuedInterceptor(OperationSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private bool _queuedInTransaction;

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => WakeAfterCommit();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        WakeAfterCommit();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _queuedInTransaction = false;

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _queuedInTransaction = false;
        return Task.CompletedTask;
    }

    private bool _queuedInSave;

    private void Note(DbContext? context) =>
        _queuedInSave = context is not null && context.ChangeTracker.Entries<Operation>().Any(e => e.State == EntityState.Added);

    private void WakeIfCommitted(DbContext? context)
    {
        if (!_queuedInSave) return;
        _queuedInSave = false;
        if (context?.Database.CurrentTransaction is null) signal.Notify();
        else _queuedInTransaction = true;
    }

    private void WakeAfterCommit()
    {
        if (!_queuedInTransaction) return;
        _queuedInTransaction = false;
        signal.Notify();
    }
}
