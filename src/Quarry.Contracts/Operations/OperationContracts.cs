namespace Quarry.Contracts.Operations;

/// <summary>Where an operation is in its life: queued until a worker claims it, running, then finished.</summary>
public static class OperationState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Finished = "finished";
}

/// <summary>The public <c>result</c> of an operation.</summary>
public static class OperationResult
{
    public const string Running = "running";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Aborted = "aborted";
}

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

    // An export's own parameters (see Operations/Export/ExportParameters); a materialize reads container_names and container_tags.
    /// <summary>anomalies, checks, field-profiles (also: profiles), or all (the default).</summary>
    public string? AssetType { get; set; }
    public List<int>? ContainerIds { get; set; }
    public List<string>? ContainerTags { get; set; }
    public bool? IncludeDeleted { get; set; }
    /// <summary>A materialize copies at most this many rows of each container.</summary>
    public long? MaxRecordsPerPartition { get; set; }
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
    System.Text.Json.JsonElement? Summary = null,
    /// <summary>What happened, in words, whatever the result.</summary>
    string? Details = null);
