using Quarry.Contracts.Datastores;

namespace Quarry.Contracts.Anomalies;

/// <summary>
/// An anomaly as the API answers it, in the shape Qualytics clients read: <c>id, uuid, status, type, container{id,name},
/// datastore{id,name}, anomalous_records_count, failed_checks, created</c>, plus what Quarry records beside them.
/// </summary>
public sealed record AnomalyDto(
    int Id,
    string Uuid,
    string Status,
    string Type,
    bool Archived,
    int DatastoreId,
    NamedRef Datastore,
    int ContainerId,
    NamedRef Container,
    int? CheckId,
    string RuleType,
    IReadOnlyList<string> Fields,
    long? AssertedRecordsCount,
    long? AnomalousRecordsCount,
    string? Message,
    string? Description,
    IReadOnlyList<FailedCheckDto> FailedChecks,
    int? OperationId,
    int? LastOperationId,
    DateTime Created,
    DateTime Updated,
    DateTime? StatusChanged);

/// <summary>One check that failed: <c>quality_check.id</c> is null once the check was deleted; its rule and fields stay.</summary>
public sealed record FailedCheckDto(FailedCheckRef QualityCheck, long? AnomalousRecordsCount, string? Message);

public sealed record FailedCheckRef(int? Id, string RuleType, IReadOnlyList<string> Fields, string? Description);

/// <summary>
/// The failing rows a scan kept for an anomaly (at most the datastore's source record limit): <c>fields</c> lists
/// every column in the order the rows hold them, <c>anomalous_fields</c> the ones the check asserts.
/// </summary>
public sealed record SourceRecordsDto(int AnomalyId, IReadOnlyList<string> Fields, IReadOnlyList<string> AnomalousFields, IReadOnlyList<JsonElement> Records);

/// <summary>The body of PUT /api/anomalies/{id}: a field left out keeps its value; other fields (tags, assignees) are ignored.</summary>
public sealed class AnomalyUpdateRequest
{
    public string? Status { get; set; }
    public string? Description { get; set; }
}

/// <summary>One item of PATCH /api/anomalies.</summary>
public sealed class AnomalyBulkUpdateItem
{
    public int? Id { get; set; }
    public string? Status { get; set; }
    public string? Description { get; set; }
}

/// <summary>One item of DELETE /api/anomalies: <c>archive</c> (default false) archives with <c>status</c> instead of deleting.</summary>
public sealed class AnomalyBulkDeleteItem
{
    public int? Id { get; set; }
    public bool? Archive { get; set; }
    public string? Status { get; set; }
}
