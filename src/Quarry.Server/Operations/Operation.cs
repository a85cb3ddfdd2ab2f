namespace Quarry.Server.Operations;

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

public sealed class Operation
{
    public int Id { get; set; }
    public required string Type { get; set; }
    public int DatastoreId { get; set; }
    public string State { get; set; } = OperationState.Queued;
    public string? Result { get; set; }
    public string? Message { get; set; }
    public bool Prune { get; set; }
    public bool AbortRequested { get; set; }
    public int? TotalContainers { get; set; }
    public int? ContainersAnalyzed { get; set; }
    public string? WorkerId { get; set; }
    public DateTime? HeartbeatAt { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
}
