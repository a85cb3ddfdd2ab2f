using Quarry.Server.Operations.Sync;

namespace Quarry.Server.Operations;

/// <summary>The body of POST /api/operations/run: one datastore (<c>datastore_id</c>) or many (<c>datastore_ids</c>).</summary>
public sealed class RunOperationRequest
{
    public string? Type { get; set; }
    public int? DatastoreId { get; set; }
    public List<int>? DatastoreIds { get; set; }
    public bool? Prune { get; set; }
    /// <summary>A scan's containers, by name; all of the datastore's when absent.</summary>
    public List<string>? ContainerNames { get; set; }

    // A profile's own parameters (it reads container_names too): see Operations/Profile/ProfileParameters.
    public long? MaxRecordsAnalyzedPerPartition { get; set; }
    public bool? InferConstraints { get; set; }
    public bool? InferAsDraft { get; set; }
    /// <summary>A scan resolves the open anomalies of checks that pass in it.</summary>
    public bool? ResolvePassingAnomalies { get; set; }
}

public sealed record OperationStatus(int? TotalContainers, int? ContainersAnalyzed);

public sealed record OperationDto(
    int Id,
    string Type,
    int DatastoreId,
    string State,
    string Result,
    string? Message,
    bool Prune,
    bool AbortRequested,
    DateTime CreatedAt,
    DateTime? StartTime,
    DateTime? EndTime,
    OperationStatus Status,
    /// <summary>What a finished operation counted (a sync's containers, a scan's checks passed and failed); null until it finishes.</summary>
    System.Text.Json.JsonElement? Summary = null);

public static class OperationMapping
{
    public static OperationDto ToDto(this Operation o) => new(
        o.Id, o.Type, o.DatastoreId, o.State, o.Result ?? OperationResult.Running, o.Message, PruneOf(o), o.AbortRequested,
        o.CreatedAt, o.StartTime, o.EndTime, new OperationStatus(o.TotalContainers, o.ContainersAnalyzed),
        o.ResultJson is null ? null : System.Text.Json.JsonDocument.Parse(o.ResultJson).RootElement.Clone());

    /// <summary><c>prune</c> is a sync's parameter; every other type answers false, as it always did.</summary>
    private static bool PruneOf(Operation o) => o.Type == OperationQueue.SyncType && SyncParameters.Read(o.ParametersJson).Prune;
}
