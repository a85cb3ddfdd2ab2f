using Quarry.Server.Operations.Sync;

namespace Quarry.Server.Operations;

public static class OperationMapping
{
    public static OperationDto ToDto(this Operation o) => new(
        o.Id, o.Type, o.DatastoreId, o.State, o.Result ?? OperationResult.Running, o.Message, PruneOf(o), o.AbortRequested,
        o.CreatedAt, o.StartTime, o.EndTime, new OperationStatus(o.TotalContainers, o.ContainersAnalyzed),
        o.ResultJson is null ? null : System.Text.Json.JsonDocument.Parse(o.ResultJson).RootElement.Clone());

    /// <summary><c>prune</c> is a sync's parameter; every other type answers false, as it always did.</summary>
    private static bool PruneOf(Operation o) => o.Type == OperationQueue.SyncType && SyncParameters.Read(o.ParametersJson).Prune;
}
