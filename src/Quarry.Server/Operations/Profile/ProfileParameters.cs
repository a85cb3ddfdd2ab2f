using System.Text.Json.Serialization;

namespace Quarry.Server.Operations.Profile;

/// <summary>
/// A profile's parameters, stored as <c>operations.parameters_json</c>: the containers to profile (all when none are
/// named), how many rows of each to read (all when null), whether to propose checks and whether they wait as drafts.
/// </summary>
public sealed record ProfileParameters(
    [property: JsonPropertyName("container_names")] IReadOnlyList<string>? ContainerNames,
    [property: JsonPropertyName("max_records_analyzed_per_partition")] long? MaxRecordsAnalyzedPerPartition,
    [property: JsonPropertyName("infer_constraints")] bool InferConstraints,
    [property: JsonPropertyName("infer_as_draft")] bool InferAsDraft)
{
    /// <summary>Fewer rows than this say too little about a column to be worth sampling.</summary>
    public const long MinimumSample = 100;

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ProfileParameters Read(string? json) =>
        (string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<ProfileParameters>(json)) ?? new(null, null, true, true);

    /// <summary>The parameters of a run request, or a 400 naming the field that is wrong.</summary>
    public static ProfileParameters Of(RunOperationRequest request)
    {
        if (request.MaxRecordsAnalyzedPerPartition is long rows && rows < MinimumSample)
            throw InvalidInputProblem.Single("max_records_analyzed_per_partition",
                $"must be at least {MinimumSample} (the rows read from each container); leave it out to read every row.");
        var names = request.ContainerNames?.Select(n => n?.Trim() ?? "").ToList();
        if (names is not null && names.Any(string.IsNullOrEmpty))
            throw InvalidInputProblem.Single("container_names", "must not hold an empty name; leave the list out to profile every container.");
        return new(names is { Count: > 0 } ? names.Distinct(StringComparer.Ordinal).ToList() : null,
            request.MaxRecordsAnalyzedPerPartition, request.InferConstraints ?? true, request.InferAsDraft ?? true);
    }
}

/// <summary>A finished profile's counts, stored as <c>operations.result_json</c>.</summary>
public sealed record ProfileResult(
    [property: JsonPropertyName("containers")] int Containers,
    [property: JsonPropertyName("fields")] int Fields,
    [property: JsonPropertyName("records_analyzed")] long RecordsAnalyzed,
    [property: JsonPropertyName("sampled_containers")] int SampledContainers,
    [property: JsonPropertyName("checks_created")] int ChecksCreated,
    [property: JsonPropertyName("checks_updated")] int ChecksUpdated,
    [property: JsonPropertyName("checks_withdrawn")] int ChecksWithdrawn,
    [property: JsonPropertyName("failed_containers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProfileFailure>? FailedContainers = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>A computed container the source could not profile (its query refused, a table it reads gone), and why.</summary>
public sealed record ProfileFailure(
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("message")] string Message);
