using Quarry.Server.Store;

namespace Quarry.Server.Operations;

/// <summary>Queues operations in the store; workers in any server instance claim them.</summary>
public static class OperationQueue
{
    public const string SyncType = "sync";

    /// <summary>Adds a queued sync for <paramref name="datastoreId"/> to the context; the caller saves.</summary>
    public static Operation EnqueueSync(QuarryDb db, int datastoreId, int? userId, bool prune = false)
    {
        var operation = new Operation
        {
            Type = SyncType,
            DatastoreId = datastoreId,
            State = OperationState.Queued,
            Result = OperationResult.Running,
            Prune = prune,
            CreatedByUserId = userId,
            CreatedAt = DateTime.UtcNow,
        };
        db.Operations.Add(operation);
        return operation;
    }
}
