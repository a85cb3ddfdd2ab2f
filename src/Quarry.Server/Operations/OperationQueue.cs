using Quarry.Server.Operations.Sync;

namespace Quarry.Server.Operations;

/// <summary>Queues operations in the store; workers in any server instance claim them and hand each to its type's runner.</summary>
public static class OperationQueue
{
    public const string SyncType = "sync";

    /// <summary>Adds a queued operation of <paramref name="type"/> for <paramref name="datastoreId"/> to the context; the caller saves.</summary>
    public static Operation Enqueue(QuarryDb db, string type, int datastoreId, int? userId, string? parametersJson)
    {
        var operation = new Operation
        {
            Type = type,
            DatastoreId = datastoreId,
            State = OperationState.Queued,
            Result = OperationResult.Running,
            ParametersJson = parametersJson,
            CreatedByUserId = userId,
            CreatedAt = DateTime.UtcNow,
        };
        db.Operations.Add(operation);
        return operation;
    }

    /// <summary>Adds a queued sync (what creating a datastore with <c>start_sync</c> asks for); the caller saves.</summary>
    public static Operation EnqueueSync(QuarryDb db, int datastoreId, int? userId, bool prune = false) =>
        Enqueue(db, SyncType, datastoreId, userId, new SyncParameters(prune).ToJson());
}
