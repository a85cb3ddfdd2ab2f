namespace Quarry.Server.Connectors;

/// <summary>Whether a connector's schemas live inside catalogs (PostgreSQL databases) or are listed directly (SQLite).</summary>
public enum CatalogLevel
{
    None,
    Catalog,
}

/// <summary>What a connector can do beyond reading its catalog. Callers ask before they rely on one.</summary>
[Flags]
public enum ConnectorCapabilities
{
    None = 0,
    /// <summary>Reads catalogs, schemas, containers and fields (every connector).</summary>
    CatalogRead = 1,
    /// <summary>Writes enrichment tables through an <see cref="IEnrichmentWriter"/>.</summary>
    EnrichmentWrite = 2,
}

/// <summary>
/// Everything Quarry knows about a connection type, declared once by its connector: code outside the connector's
/// folder reads this instead of switching on a type name.
/// </summary>
public sealed record ConnectorDescriptor
{
    /// <summary>The connection type as stored and shown, e.g. "postgresql".</summary>
    public required string Type { get; init; }

    /// <summary>The product's name in messages, e.g. "PostgreSQL".</summary>
    public required string DisplayName { get; init; }

    /// <summary>Other spellings accepted for <see cref="Type"/> on the way in (stored as <see cref="Type"/>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The port a new connection gets when it names none; null when the connector has no port.</summary>
    public int? DefaultPort { get; init; }

    /// <summary>Connection fields that must be set, each with the error shown when it is not (in the order they are checked).</summary>
    public IReadOnlyList<(string Field, string Message)> RequiredFields { get; init; } = [];

    /// <summary>
    /// Connection fields the connector never reads, each with why. A value given for one is refused: it would be stored,
    /// exported and shown as if it mattered.
    /// </summary>
    public IReadOnlyList<(string Field, string Why)> UnusedFields { get; init; } = [];

    public required CatalogLevel CatalogLevel { get; init; }

    /// <summary>Without a catalog level: why a datastore's database is not read (shown when one is given).</summary>
    public string? NoCatalogReason { get; init; }

    /// <summary>The schema a datastore reads when it names none ("public", "main").</summary>
    public required string DefaultSchema { get; init; }

    /// <summary>Whether a new datastore must name its schema; otherwise it gets <see cref="DefaultSchema"/>.</summary>
    public bool RequiresSchema { get; init; }

    public ConnectorCapabilities Capabilities { get; init; } = ConnectorCapabilities.CatalogRead;

    public bool HasCatalogs => CatalogLevel != CatalogLevel.None;

    public bool Supports(ConnectorCapabilities capability) => (Capabilities & capability) == capability;

    /// <summary>The connection fields this connector reads.</summary>
    public IEnumerable<string> AllowedFields => ConnectionFields.All.Except(UnusedFields.Select(u => u.Field));

    /// <summary>The schema a datastore reads: its own, or this connector's default one.</summary>
    public string SchemaOf(string? schema) => !string.IsNullOrWhiteSpace(schema) ? schema : DefaultSchema;

    /// <summary>The catalog a datastore reads: its database, else its connection's; none without a catalog level.</summary>
    public string? CatalogOf(string? datastoreDatabase, string? connectionDatabase) =>
        HasCatalogs ? datastoreDatabase ?? connectionDatabase : null;
}

/// <summary>The fields of a connection a descriptor may require or refuse.</summary>
public static class ConnectionFields
{
    public const string Host = "host";
    public const string Port = "port";
    public const string Username = "username";
    public const string Password = "password";
    public const string Database = "database";
    public const string Path = "path";

    public static readonly IReadOnlyList<string> All = [Host, Port, Username, Password, Database, Path];
}
