namespace Quarry.Server.Operations;

public sealed class Operation
{
    public int Id { get; set; }
    public required string Type { get; set; }
    public int DatastoreId { get; set; }
    public string State { get; set; } = OperationState.Queued;
    public string? Result { get; set; }
    public string? Message { get; set; }

    /// <summary>
    /// The type's own parameters as JSON (a sync's: <c>{"prune": true}</c>), read only by its runner. The old
    /// <c>prune</c> column is no longer written; migration 4 copied it here.
    /// </summary>
    public string? ParametersJson { get; set; }

    /// <summary>The type's own result as JSON once it succeeded (a sync's counts), beside the message everyone reads.</summary>
    public string? ResultJson { get; set; }
    public bool AbortRequested { get; set; }
    /// <summary>Progress in containers: every operation type reads or analyzes containers.</summary>
    public int? TotalContainers { get; set; }
    public int? ContainersAnalyzed { get; set; }
    public string? WorkerId { get; set; }
    public DateTime? HeartbeatAt { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
}
