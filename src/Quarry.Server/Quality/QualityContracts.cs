using System.Text.Json;
using Quarry.Server.Datastores;

namespace Quarry.Server.Quality;

/// <summary>
/// What a quality check states, shared by the API body (<see cref="QualityCheckRequest"/>) and the config file
/// (<c>CheckSpec</c>); the two differ only in how they name the container.
/// </summary>
public abstract class QualityCheckBody
{
    public string? Rule { get; set; }
    public List<string>? Fields { get; set; }
    public Dictionary<string, JsonElement>? Properties { get; set; }
    public string? Filter { get; set; }
    public double? Coverage { get; set; }
    public string? Description { get; set; }
    public List<string>? Tags { get; set; }
    public string? Uid { get; set; }
}

/// <summary>
/// The body of POST/PUT /api/quality-checks. The container is given by <c>container_id</c>, or by
/// <c>datastore_id</c> plus <c>container_name</c>; fields are given by name. On PUT, a field left out keeps its value.
/// </summary>
public sealed class QualityCheckRequest : QualityCheckBody
{
    public int? ContainerId { get; set; }
    public int? DatastoreId { get; set; }
    public string? ContainerName { get; set; }
    /// <summary>Active (scanned), Draft (waiting to be activated) or Archived; a new check is Active unless it says otherwise.</summary>
    public string? Status { get; set; }
}

/// <summary>One item of PATCH /api/quality-checks: a check and its new status (activate or archive many at once).</summary>
public sealed class QualityCheckStatusChange
{
    public int? Id { get; set; }
    public string? Status { get; set; }
}

/// <summary>What a computed field states, shared by the API body and the config file (<c>ComputedFieldSpec</c>).</summary>
public abstract class ComputedFieldBody
{
    public string? Name { get; set; }
    public string? Transformation { get; set; }
    public List<string>? SourceFields { get; set; }
    public Dictionary<string, JsonElement>? Properties { get; set; }
    public string? Description { get; set; }
}

/// <summary>The body of POST/PUT /api/computed-fields; on PUT a field left out keeps its value.</summary>
public sealed class ComputedFieldRequest : ComputedFieldBody
{
    public int? ContainerId { get; set; }
    public int? DatastoreId { get; set; }
    public string? ContainerName { get; set; }
}

/// <summary>What a computed container states, shared by the API body and the config file (<c>ComputedContainerSpec</c>).</summary>
public abstract class ComputedContainerBody
{
    public string? Name { get; set; }
    public string? ContainerType { get; set; }
    public string? Query { get; set; }
    public string? LeftContainer { get; set; }
    public string? RightContainer { get; set; }
    public string? JoinType { get; set; }
    public string? LeftField { get; set; }
    public string? RightField { get; set; }
    public List<string>? LeftSelect { get; set; }
    public List<string>? RightSelect { get; set; }
    public string? Description { get; set; }
}

/// <summary>
/// The body of POST/PUT /api/computed-containers. <c>computed_table</c> takes a <c>query</c>;
/// <c>computed_join</c> takes left/right containers (id or name, in the same datastore), a join type, the join
/// key of each side and the fields to select from each side. On PUT a field left out keeps its value.
/// </summary>
public sealed class ComputedContainerRequest : ComputedContainerBody
{
    public int? DatastoreId { get; set; }
    public int? LeftContainerId { get; set; }
    public int? RightContainerId { get; set; }
}

public sealed record ContainerRef(int Id, string Name, int DatastoreId, string DatastoreName);

public sealed record QualityCheckDto(
    int Id,
    string Rule,
    int ContainerId,
    ContainerRef Container,
    IReadOnlyList<string> Fields,
    JsonElement Properties,
    string? Filter,
    double Coverage,
    string? Description,
    IReadOnlyList<string> Tags,
    string? Uid,
    DateTime Created,
    DateTime Updated,
    string Status = CheckStatus.Active,
    bool Inferred = false);

public sealed record ComputedFieldDto(
    int Id,
    string Name,
    int ContainerId,
    ContainerRef Container,
    string Transformation,
    IReadOnlyList<string> SourceFields,
    JsonElement Properties,
    string? Description,
    DateTime Created,
    DateTime Updated);

public sealed record ComputedContainerDto(
    int Id,
    string Name,
    string ContainerType,
    int DatastoreId,
    NamedRef Datastore,
    string? Query,
    NamedRef? LeftContainer,
    NamedRef? RightContainer,
    string? JoinType,
    string? LeftField,
    string? RightField,
    IReadOnlyList<string> LeftSelect,
    IReadOnlyList<string> RightSelect,
    string? Description,
    IReadOnlyList<string> Fields,
    DateTime Created,
    DateTime Updated);

/// <summary>Lists and property bags are stored as JSON text; written with sorted keys so equal values store equal bytes.</summary>
public static class QualityJson
{
    public static List<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string Of(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    public static string Of(IReadOnlyDictionary<string, JsonElement>? properties) =>
        JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(
            (properties ?? new Dictionary<string, JsonElement>()).Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal));

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static Dictionary<string, JsonElement> Properties(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
}
