using System.Text.Json.Serialization;
using Quarry.Server.Operations.Export;

namespace Quarry.Server.Operations.Materialize;

/// <summary>
/// A materialize's parameters, stored as <c>operations.parameters_json</c>: the containers to copy (every computed
/// container of the datastore when none are named; a named one may be any container) and how many rows of each at most.
/// </summary>
public sealed record MaterializeParameters(
    [property: JsonPropertyName("container_names")] IReadOnlyList<string>? ContainerNames,
    [property: JsonPropertyName("max_records")] long? MaxRecords)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static MaterializeParameters Read(string? json) =>
        (string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<MaterializeParameters>(json)) ?? new(null, null);

    public static MaterializeParameters Of(RunOperationRequest request)
    {
        if (request.Prune is not null) throw InvalidInputProblem.Single("prune", "is a sync's parameter; a materialize never changes the catalog.");
        ExportParameters.RefuseContainerTags(request.ContainerTags);
        if (request.MaxRecordsPerPartition is <= 0)
            throw InvalidInputProblem.Single("max_records_per_partition", "must be at least 1 (the most rows copied of each container), or left out to copy them all.");
        var names = RequestedContainers.Clean(request.ContainerNames, "materialize every computed container");
        return new(names, request.MaxRecordsPerPartition);
    }
}

/// <summary>What a materialize wrote, stored as <c>operations.result_json</c>.</summary>
public sealed record MaterializeResult(
    [property: JsonPropertyName("containers")] IReadOnlyList<MaterializedContainer> Containers)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>One container copied: the table it became, its rows, and whether the database copied it itself (push-down) or Quarry streamed it.</summary>
public sealed record MaterializedContainer(
    [property: JsonPropertyName("container_id")] int ContainerId,
    [property: JsonPropertyName("container_name")] string ContainerName,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("push_down")] bool PushDown);
