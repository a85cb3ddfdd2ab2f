using Quarry.Contracts.Datastores;

namespace Quarry.Contracts.Quality;

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
    /// <summary>A free JSON object stored with the check (Qualytics clients keep their own keys there); null keeps it.</summary>
    public JsonElement? AdditionalMetadata { get; set; }
    /// <summary>On create: the template whose values fill what this body leaves out.</summary>
    public int? TemplateId { get; set; }
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
    /// <summary>
    /// computed_join, as Qualytics writes it: the joined fields to keep, each named with its side's prefix
    /// (<c>left_id, right_total AS total</c>, or <c>*</c>); instead of <c>left_select</c>/<c>right_select</c>.
    /// </summary>
    public string? SelectClause { get; set; }
    /// <summary>computed_join: what the left side's fields are prefixed with in <c>select_clause</c> and the join's field names (default <c>left</c>).</summary>
    public string? LeftPrefix { get; set; }
    /// <summary>computed_join: the right side's prefix (default <c>right</c>).</summary>
    public string? RightPrefix { get; set; }
    /// <summary>computed_join: SQL filtering the joined rows (<c>left_status = 'paid'</c>); on PUT an empty one removes it.</summary>
    public string? WhereClause { get; set; }
    /// <summary>computed_join: SQL grouping the joined rows (<c>left_country</c>); the select clause must then suit the grouping.</summary>
    public string? GroupByClause { get; set; }
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
    /// <summary>What Qualytics clients call <c>left_field</c>: the join key in the left container.</summary>
    public string? LeftJoinFieldName { get; set; }
    /// <summary>What Qualytics clients call <c>right_field</c>: the join key in the right container.</summary>
    public string? RightJoinFieldName { get; set; }
}

public sealed record ContainerRef(int Id, string Name, int DatastoreId, string DatastoreName);

/// <summary>
/// A quality check as the API answers it, in the shape Qualytics clients read (<c>rule_type</c>, <c>fields</c> as
/// objects, <c>global_tags</c>, <c>status</c>, <c>additional_metadata</c>), keeping <c>rule</c> and <c>tags</c> as names.
/// </summary>
public sealed record QualityCheckDto(
    int Id,
    string Rule,
    string RuleType,
    int ContainerId,
    ContainerRef Container,
    IReadOnlyList<CheckFieldDto> Fields,
    JsonElement Properties,
    string? Filter,
    double Coverage,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<TagNameDto> GlobalTags,
    string Status,
    bool Inferred,
    JsonElement AdditionalMetadata,
    string? Uid,
    DateTime Created,
    DateTime Updated)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> FieldNames => Fields.Select(f => f.Name).ToList();
}

/// <summary>A field a check names: <c>id</c> and <c>type</c> (the source's type) are null for a computed field or one no sync has seen.</summary>
public sealed record CheckFieldDto(int? Id, string Name, string? Type);

public sealed record TagNameDto(string Name);

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
    string? SelectClause,
    string? LeftPrefix,
    string? RightPrefix,
    string? WhereClause,
    string? GroupByClause,
    string? Description,
    IReadOnlyList<string> Fields,
    DateTime Created,
    DateTime Updated);

/// <summary>The body of POST /api/quality-check-templates: a check's body without a container.</summary>
public sealed class QualityCheckTemplateRequest : QualityCheckBody
{
    public JsonElement? AdditionalMetadata { get; set; }
}

public sealed record QualityCheckTemplateDto(
    int Id, string Rule, string RuleType, IReadOnlyList<string> Fields, JsonElement Properties, string? Filter, double Coverage,
    string? Description, IReadOnlyList<string> Tags, IReadOnlyList<TagNameDto> GlobalTags, JsonElement AdditionalMetadata, DateTime Created, DateTime Updated);
