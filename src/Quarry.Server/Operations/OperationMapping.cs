using Quarry.Server.Operations.Sync;

namespace Quarry.Server.Operations;

public static class OperationMapping
{
    /// <summary>
    /// <c>message</c> is left empty for a success: Qualytics clients show a successful operation's message as a warning.
    /// The words are always in <c>details</c>.
    /// </summary>
    public static OperationDto ToDto(this Operation o) => new(
        o.Id, o.Type, o.DatastoreId, o.State, o.Result ?? OperationResult.Running, o.Result == OperationResult.Success ? null : o.Message,
        PruneOf(o), o.AbortRequested, o.CreatedAt, o.StartTime, o.EndTime, new OperationStatus(o.TotalContainers, o.ContainersAnalyzed),
        o.ResultJson is null ? null : System.Text.Json.JsonDocument.Parse(o.ResultJson).RootElement.Clone(), o.Message);

    /// <summary><c>prune</c> is a sync's parameter; every other type answers false, as it always did.</summary>
    private static bool PruneOf(Operation o) => o.Type == OperationQueue.SyncType && SyncParameters.Read(o.ParametersJson).Prune;
}
