namespace Quarry.Contracts.Catalog;

public sealed record ContainerDto(int Id, int DatastoreId, string Name, string ContainerType, bool Removed, int FieldCount, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record FieldDto(int Id, int ContainerId, string Name, int Ordinal, string DataType, bool Nullable, bool Removed, DateTime CreatedAt, DateTime UpdatedAt);
