namespace Quarry.Contracts.Catalog;

public sealed record ContainerDto(int Id, int DatastoreId, string Name, string ContainerType, bool Removed, int FieldCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>GET /api/containers/{id}: the container as lists show it, with the computed fields defined on it.</summary>
public sealed record ContainerDetailDto(
    int Id, int DatastoreId, string Name, string ContainerType, bool Removed, int FieldCount, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<Quality.ComputedFieldDto> ComputedFields);

public sealed record FieldDto(int Id, int ContainerId, string Name, int Ordinal, string DataType, bool Nullable, bool Removed, DateTime CreatedAt, DateTime UpdatedAt);
