namespace Quarry.Server.Datastores;

public sealed class Datastore : INamedEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public int ConnectionId { get; set; }
    public Connection? Connection { get; set; }
    public string? Database { get; set; }
    public string? Schema { get; set; }
    public string? Description { get; set; }
    public int? GroupId { get; set; }
    public DatastoreGroup? Group { get; set; }
    public bool EnrichmentOnly { get; set; }
    public int? EnrichmentDatastoreId { get; set; }
    public Datastore? EnrichmentDatastore { get; set; }
    public string? EnrichmentPrefix { get; set; }
    public string? ConfigNamespace { get; set; }
    /// <summary>
    /// The datastore was moved to another connection, database or schema after its catalog was read: the stored
    /// containers describe the old source until a sync of the new one succeeds.
    /// </summary>
    public bool CatalogStale { get; set; }
    /// <summary>How many failing rows a scan keeps per failed check, as its anomaly's source records.</summary>
    public int SourceRecordLimit { get; set; } = 10;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<DatastoreTeam> Teams { get; set; } = [];
    public List<DatastoreTag> Tags { get; set; } = [];
}

public sealed class DatastoreTeam
{
    public int DatastoreId { get; set; }
    public int TeamId { get; set; }
    public Team? Team { get; set; }
}

public sealed class DatastoreTag
{
    public int DatastoreId { get; set; }
    public required string Name { get; set; }
}

public sealed class DatastoreGroup : INamedEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public string? Description { get; set; }
    public string? ConfigNamespace { get; set; }
    public DateTime CreatedAt { get; set; }
}
