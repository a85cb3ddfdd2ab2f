namespace Quarry.Server.Catalog;

/// <summary>A table, view or similar object that a sync found in a datastore.</summary>
public sealed class Container
{
    public int Id { get; set; }
    public int DatastoreId { get; set; }
    public required string Name { get; set; }
    public required string ContainerType { get; set; }
    public bool Removed { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<Field> Fields { get; set; } = [];
}

/// <summary>A column of a <see cref="Container"/>.</summary>
public sealed class Field
{
    public int Id { get; set; }
    public int ContainerId { get; set; }
    public required string Name { get; set; }
    public int Ordinal { get; set; }
    public required string DataType { get; set; }
    public bool Nullable { get; set; }
    public bool Removed { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
