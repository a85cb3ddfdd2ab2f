namespace Quarry.Contracts.Operations;

public sealed record TopValueDto(string Value, long Count);

public sealed record FieldProfileDto(
    int Id,
    int OperationId,
    int ContainerId,
    int FieldId,
    string FieldName,
    string DeclaredType,
    string InferredType,
    bool Sampled,
    long RecordCount,
    long NullCount,
    long? DistinctCount,
    bool DistinctApproximate,
    string? Min,
    string? Max,
    double? Mean,
    double? StdDev,
    double? Q1,
    double? Median,
    double? Q3,
    int? MinLength,
    int? MaxLength,
    double? MeanLength,
    IReadOnlyList<TopValueDto> TopValues,
    DateTime Created);
