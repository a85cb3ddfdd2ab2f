using Quarry.Contracts.Connections;

namespace Quarry.Contracts.Config;

/// <summary>
/// The body of POST /api/config/plan and /api/config/apply: the resolved desired state of a config folder.
/// A key left out of an item (null) is not managed by config: the server keeps whatever value it has.
/// </summary>
public sealed class ConfigRequest
{
    /// <summary>Recorded on what this config creates or adopts, so a later prune can scope itself to it.</summary>
    public string? Namespace { get; set; }
    /// <summary>Apply every item that can stand alone instead of rolling everything back on the first failure.</summary>
    public bool ContinueOnError { get; set; }
    /// <summary>A config connection has the keys of the connections API's body, so it is sent as one.</summary>
    public List<ConnectionRequest> Connections { get; set; } = [];
    public List<DatastoreSpec> Datastores { get; set; } = [];
    public List<ComputedContainerSpec> ComputedContainers { get; set; } = [];
    public List<ComputedFieldSpec> ComputedFields { get; set; } = [];
    public List<CheckSpec> Checks { get; set; } = [];
    /// <summary>
    /// Kinds (<see cref="QualityConfigKinds.Prunable"/>) whose resources recorded under <see cref="Namespace"/> but
    /// absent from this config are deleted. Never touches resources of another namespace or made by hand.
    /// </summary>
    public List<string> Prune { get; set; } = [];
    /// <summary>Datastores the client will sync before applying: their checks are planned without the catalog.</summary>
    public List<string> PendingSync { get; set; } = [];
}

public sealed class DatastoreSpec
{
    public string? Name { get; set; }
    /// <summary>The connection's name (in the same config or already on the server).</summary>
    public string? Connection { get; set; }
    public string? Database { get; set; }
    public string? Schema { get; set; }
    public string? Description { get; set; }
    public List<string>? Tags { get; set; }
    public List<string>? Teams { get; set; }
    /// <summary>A datastore group's name; a missing group is created.</summary>
    public string? Group { get; set; }
    public bool? EnrichmentOnly { get; set; }
    /// <summary>The enrichment datastore's name (in the same config or already on the server).</summary>
    public string? EnrichmentDatastore { get; set; }
    public string? EnrichmentPrefix { get; set; }
    /// <summary>How many failing rows a scan keeps per failed check; null leaves the datastore's as it is (10 for a new one).</summary>
    public int? SourceRecordLimit { get; set; }
}

public static class ConfigKinds
{
    public const string Connection = "connection";
    public const string Datastore = "datastore";
    public const string Group = "datastore_group";
}

public static class ConfigActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Unchanged = "unchanged";
    /// <summary>Pruned: recorded under the config's namespace, no longer in the config.</summary>
    public const string Delete = "delete";
    /// <summary>Invalid, refused, or failed while writing; <see cref="ConfigItemResult.Errors"/> says why.</summary>
    public const string Failed = "failed";
    /// <summary>Not attempted because an item it depends on failed (continue_on_error only).</summary>
    public const string Skipped = "skipped";
}

/// <summary>One field that differs. Sensitive fields carry no values: only that they changed.</summary>
public sealed record FieldChange(string Field, string? From, string? To, bool Sensitive = false)
{
    public const string SensitiveText = "(sensitive value changed)";

    public static FieldChange Secret(string field) => new(field, null, null, Sensitive: true);
}

/// <summary>Why an item failed; <c>Field</c> names the config key at fault when there is one.</summary>
public sealed record ItemError(string? Field, string Message, string Code = ItemError.Invalid)
{
    public const string Invalid = "invalid";
    /// <summary>A name that is neither in the config nor on the server.</summary>
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    /// <summary>Depends on an item that failed.</summary>
    public const string Dependency = "dependency";
    /// <summary>A prune kept it: something that stays still uses it. Not a mistake in a file.</summary>
    public const string InUse = "in_use";
}

public sealed record ConfigItemResult(
    string Kind,
    string Name,
    string Action,
    int? Id,
    IReadOnlyList<FieldChange> Changes,
    IReadOnlyList<ItemError> Errors);

public sealed record ConfigResult(
    /// <summary>False for a plan, and for an apply that wrote nothing because an item failed.</summary>
    bool Applied,
    string? Namespace,
    IReadOnlyList<ConfigItemResult> Items,
    /// <summary>Why nothing was applied, when it wasn't.</summary>
    string? Message);
