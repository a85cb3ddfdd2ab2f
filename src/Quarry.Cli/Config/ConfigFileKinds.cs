namespace Quarry.Cli.Config;

public enum FieldType
{
    String,
    Integer,
    Boolean,
    StringList,
    /// <summary>A mapping of names to scalar values (connection <c>parameters</c>).</summary>
    Map,
    /// <summary>A number, whole or not (a check's <c>coverage</c>).</summary>
    Number,
    /// <summary>A mapping of names to scalars or lists of scalars (a check's <c>properties</c>), kept as JSON.</summary>
    Properties,
}

/// <summary>One key a config file may hold. <paramref name="Alias"/> is another accepted spelling of the same key.</summary>
public sealed record FieldSpec(string Key, FieldType Type, string Description, bool Required = false, string? Alias = null, bool Secret = false);

/// <summary>
/// A kind of file in a config folder: its keys (which drive validation and the JSON Schema) and where its
/// files live. Datastores, computed containers, computed fields and checks are each a kind.
/// </summary>
public abstract class ConfigFileKind
{
    /// <summary>The singular name used in messages ("connection").</summary>
    public abstract string Name { get; }
    /// <summary>The plural used by <c>--include</c> and the summary ("connections").</summary>
    public abstract string Plural { get; }
    public abstract string Title { get; }
    public abstract IReadOnlyList<FieldSpec> Fields { get; }
    /// <summary>This kind's files in a config root, in a stable order.</summary>
    public abstract IEnumerable<string> Files(ConfigFolder folder);

    public string SchemaFileName => $"{Name}.schema.json";

    /// <summary>The kind the server's plan calls this kind's items (<c>ConfigItemResult.Kind</c>).</summary>
    public virtual string ItemKind => Name;

    /// <summary>False for kinds whose names are unique only inside their container (computed fields) or that have none (checks).</summary>
    public virtual bool UniqueNames => true;

    /// <summary>
    /// What a well-formed file may still get wrong without asking the server: the server's size limits on names,
    /// descriptions and tags, checked here so the file:line is given and nothing is sent.
    /// </summary>
    public virtual void Validate(ConfigDocument document, List<ConfigError> errors)
    {
        foreach (var (key, max) in new[] { ("name", InputLimits.NameLength), ("description", InputLimits.DescriptionLength) })
            if (InputLimits.TooLong(document.String(key)?.Trim(), max) is { } tooLong) errors.Add(document.ErrorAt(key, $"'{key}' {tooLong}"));
        if (document.List("tags") is { } tags && InputLimits.TagsProblem(tags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList()) is { } problem)
            errors.Add(document.ErrorAt("tags", $"'tags': {problem}"));
    }

    public FieldSpec? Field(string key) => Fields.FirstOrDefault(f => f.Key == key || f.Alias == key);

    public IEnumerable<string> AllKeys => Fields.Select(f => f.Key).Concat(Fields.Where(f => f.Alias is not null).Select(f => f.Alias!));
}

public sealed class ConnectionFileKind : ConfigFileKind
{
    public static readonly ConnectionFileKind Instance = new();

    public override string Name => "connection";
    public override string Plural => "connections";
    public override string Title => "Quarry connection";

    public override IReadOnlyList<FieldSpec> Fields { get; } =
    [
        new("name", FieldType.String, "Unique name (case-insensitive); datastores refer to the connection by it.", Required: true),
        new("type", FieldType.String, "Connector type, as GET /api/connector-types lists them (with the fields each one reads).", Required: true),
        new("host", FieldType.String, "Database server host (connectors that reach a server)."),
        new("port", FieldType.Integer, "Database server port (default: the connector's own)."),
        new("username", FieldType.String, "User name (connectors that log in)."),
        new("password", FieldType.String, "Password; use ${VAR} so it stays out of git. Write-only: never shown.", Secret: true),
        new("database", FieldType.String, "Default database (connectors with a catalog level)."),
        new("path", FieldType.String, "A file or folder on the Quarry server (connectors that read files)."),
        new("parameters", FieldType.Map, "Extra connector parameters; those named like a secret are write-only."),
    ];

    public override IEnumerable<string> Files(ConfigFolder folder) => folder.ConnectionFiles();
}

public sealed class DatastoreFileKind : ConfigFileKind
{
    public static readonly DatastoreFileKind Instance = new();

    public override string Name => "datastore";
    public override string Plural => "datastores";
    public override string Title => "Quarry datastore";

    public override IReadOnlyList<FieldSpec> Fields { get; } =
    [
        new("name", FieldType.String, "Unique name (case-insensitive).", Required: true),
        new("connection", FieldType.String, "Name of the connection this datastore reads through (in this folder or on the server).", Required: true, Alias: "connection_name"),
        new("database", FieldType.String, "Database (catalog) to read."),
        new("schema", FieldType.String, "Schema inside the database."),
        new("description", FieldType.String, "Free text."),
        new("tags", FieldType.StringList, "Tag names."),
        new("teams", FieldType.StringList, "Team names; without teams the datastore belongs to the Public team."),
        new("group", FieldType.String, "Datastore group name; a missing group is created."),
        new("enrichment_only", FieldType.Boolean, "True for an enrichment datastore (where Quarry writes results); fixed at creation."),
        new("enrichment_datastore", FieldType.String, "Name of the enrichment datastore this datastore writes to."),
        new("enrichment_prefix", FieldType.String, "Prefix of the tables written to the enrichment datastore."),
        new("source_record_limit", FieldType.Integer, $"Failing rows a scan keeps per failed check, 0 to {DatastoreRequest.MaxSourceRecordLimit} (default 10)."),
    ];

    public override void Validate(ConfigDocument document, List<ConfigError> errors)
    {
        base.Validate(document, errors);
        if (document.Integer("source_record_limit") is int limit and (< 0 or > DatastoreRequest.MaxSourceRecordLimit))
            errors.Add(document.ErrorAt("source_record_limit",
                $"'source_record_limit' is {limit}; give a whole number from 0 to {DatastoreRequest.MaxSourceRecordLimit}: the failing rows a scan keeps per failed check (0 keeps none, 10 unless set)."));
    }

    public override IEnumerable<string> Files(ConfigFolder folder) => folder.DatastoreFiles();
}

/// <summary>The kinds <c>config import</c> reads, in dependency order.</summary>
public static class ConfigFileKinds
{
    public static readonly IReadOnlyList<ConfigFileKind> All =
        [ConnectionFileKind.Instance, DatastoreFileKind.Instance, ContainerFileKind.Instance, ComputedFieldFileKind.Instance, CheckFileKind.Instance];

    /// <summary>Folders of the config layout that this version does not import yet, with what they hold.</summary>
    public static readonly IReadOnlyList<(string Folder, string Holds)> NotImportedYet = [];
}
