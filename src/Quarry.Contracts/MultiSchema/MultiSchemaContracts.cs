using Quarry.Contracts.Connections;
using Quarry.Contracts.Datastores;

namespace Quarry.Contracts.MultiSchema;

/// <summary>A discovered catalog or schema, with the datastores that already read it (the wizard's warning icon).</summary>
public sealed record DiscoveredName(string Name, IReadOnlyList<ExistingDatastore> ExistingDatastores);

/// <summary>
/// A datastore that already reads a discovered catalog or schema: <see cref="EnrichmentOnly"/> marks one that holds
/// scan results, and <see cref="Connection"/> says which connection it reads through (another one to the same database counts).
/// </summary>
public sealed record ExistingDatastore(int Id, string Name, bool EnrichmentOnly, NamedRef Connection);

/// <summary>The body of POST /api/connections/{id}/datastores/validate.</summary>
public sealed class ValidateRequest
{
    public string? Catalog { get; set; }
    public List<string>? Schemas { get; set; }
    /// <summary>Optional: with it, a schema whose datastore name is already taken (or given twice) fails as the create would.</summary>
    public string? NameTemplate { get; set; }
}

public sealed record SchemaValidation(string SchemaName, string Status, string Message)
{
    public const string Ok = "ok";
    public const string Error = "error";
}

public sealed record ValidateResponse(IReadOnlyList<SchemaValidation> Results);

/// <summary>
/// The body of the bulk create endpoints: one datastore per schema, named by <see cref="NameTemplate"/>.
/// <c>group</c> is an existing group's id or a name (an unknown name creates the group).
/// </summary>
public sealed class BulkCreateRequest
{
    /// <summary>Only for POST /api/connections/datastores/bulk: the new connection, created first.</summary>
    public ConnectionRequest? Connection { get; set; }
    public string? Catalog { get; set; }
    public List<string>? Schemas { get; set; }
    public string? NameTemplate { get; set; }
    public List<string>? Teams { get; set; }
    public List<string>? Tags { get; set; }
    public string? Description { get; set; }
    public JsonElement? Group { get; set; }
    public int? GroupId { get; set; }
    public string? GroupName { get; set; }
    public bool? TriggerCatalog { get; set; }
    /// <summary>Accepted like the single-datastore API's name for <see cref="TriggerCatalog"/>.</summary>
    public bool? TriggerSync { get; set; }
    public int? EnrichmentDatastoreId { get; set; }

    [JsonIgnore]
    public bool StartSync => TriggerCatalog == true || TriggerSync == true;
}

public sealed record BulkError(string SchemaName, string Error);

public sealed record BulkCreateResponse(int ConnectionId, IReadOnlyList<int> Created, IReadOnlyList<BulkError> Errors);
