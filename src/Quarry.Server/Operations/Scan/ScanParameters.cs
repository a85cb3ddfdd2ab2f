using System.Text.Json.Serialization;

namespace Quarry.Server.Operations.Scan;

/// <summary>
/// A scan's parameters, stored as <c>operations.parameters_json</c>: the containers to scan (all of the datastore's
/// when none are named) and whether checks that pass resolve their open anomalies.
/// </summary>
public sealed record ScanParameters(
    [property: JsonPropertyName("container_names")] IReadOnlyList<string>? ContainerNames,
    [property: JsonPropertyName("resolve_passing_anomalies")] bool ResolvePassingAnomalies)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static ScanParameters Read(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new(null, false) : JsonSerializer.Deserialize<ScanParameters>(json) ?? new(null, false);

    /// <summary>The parameters of a run request, or the reasons they are refused.</summary>
    public static ScanParameters Of(RunOperationRequest request)
    {
        if (request.Prune is not null)
            throw InvalidInputProblem.Single("prune", "is a sync's parameter; a scan never changes the catalog.");
        var names = RequestedContainers.Clean(request.ContainerNames, "scan them all");
        return new(names, request.ResolvePassingAnomalies == true);
    }
}

/// <summary>A finished scan's counts, stored as <c>operations.result_json</c>.</summary>
public sealed record ScanResult(
    [property: JsonPropertyName("containers")] int Containers,
    [property: JsonPropertyName("checks")] int Checks,
    [property: JsonPropertyName("checks_passed")] int ChecksPassed,
    [property: JsonPropertyName("checks_failed")] int ChecksFailed,
    [property: JsonPropertyName("checks_unasserted")] int ChecksUnasserted,
    [property: JsonPropertyName("anomalies_opened")] int AnomaliesOpened,
    [property: JsonPropertyName("anomalies_updated")] int AnomaliesUpdated,
    [property: JsonPropertyName("anomalies_resolved")] int AnomaliesResolved)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}
