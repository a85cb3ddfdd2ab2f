using Quarry.Contracts.Connections;

namespace Quarry.Contracts.Datastores;

/// <summary>
/// The body of POST/PUT /api/datastores. On PUT, a field left out keeps its value. <c>teams</c> and
/// <c>tags</c> are lists of names; <c>connection_name</c> is accepted where <c>connection_id</c> is missing.
/// </summary>
public sealed class DatastoreRequest
{
    public string? Name { get; set; }
    public int? ConnectionId { get; set; }
    public string? ConnectionName { get; set; }
    public string? Database { get; set; }
    public string? Schema { get; set; }
    public string? Description { get; set; }
    public List<string>? Tags { get; set; }
    public List<string>? Teams { get; set; }
    public int? GroupId { get; set; }
    public bool? EnrichmentOnly { get; set; }
    public int? EnrichmentDatastoreId { get; set; }
    public string? EnrichmentPrefix { get; set; }
    /// <summary>How many failing rows a scan keeps per failed check (0 to <see cref="MaxSourceRecordLimit"/>; 10 unless set).</summary>
    public int? SourceRecordLimit { get; set; }
    public bool? TriggerSync { get; set; }
    /// <summary>The public API's other name for <see cref="TriggerSync"/>, accepted so existing clients keep working.</summary>
    public bool? TriggerCatalog { get; set; }

    public const int MaxSourceRecordLimit = 1000;
    public const int DefaultSourceRecordLimit = 10;

    [JsonIgnore]
    public bool StartSync => TriggerSync == true || TriggerCatalog == true;
}

public sealed record NamedRef(int Id, string Name);

public sealed record TagRef(string Name);

public sealed record SyncStatus(int Id, string? Result, string? Message, DateTime? StartTime, DateTime? EndTime);

public sealed record DatastoreDto(
    int Id,
    string Name,
    int ConnectionId,
    ConnectionRef Connection,
    string? Database,
    string? Schema,
    string? Description,
    IReadOnlyList<TagRef> Tags,
    IReadOnlyList<NamedRef> Teams,
    int? GroupId,
    NamedRef? Group,
    bool EnrichmentOnly,
    int? EnrichmentDatastoreId,
    NamedRef? EnrichDatastore,
    string? EnrichmentPrefix,
    SyncStatus? LatestSync,
    int ContainerCount,
    bool CatalogStale,
    DateTime Created,
    DateTime Updated,
    int SourceRecordLimit = 10);

public sealed class DatastoreGroupRequest
{
    public string? Name { get; set; }
    public string? Description { get; set; }
}

public sealed record DatastoreGroupDto(int Id, string Name, string? Description, int DatastoreCount, DateTime Created);
