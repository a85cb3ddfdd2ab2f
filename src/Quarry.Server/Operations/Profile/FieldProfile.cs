using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Quarry.Server.Operations.Profile;

/// <summary>What one profile operation found in one field. Kept per operation, so a field's history stays visible.</summary>
public sealed class FieldProfile
{
    public int Id { get; set; }
    public int OperationId { get; set; }
    public int DatastoreId { get; set; }
    public int ContainerId { get; set; }
    public int FieldId { get; set; }
    public required string FieldName { get; set; }
    /// <summary>The type the database declares for the column.</summary>
    public required string DeclaredType { get; set; }
    /// <summary>The type its values hold: a text column full of dates is a <c>date</c>; see <see cref="ValueShapes"/>.</summary>
    public required string InferredType { get; set; }
    /// <summary>Computed on a sample of the container's rows rather than all of them.</summary>
    public bool Sampled { get; set; }
    /// <summary>The rows analyzed (all of them, or the sample's).</summary>
    public long RecordCount { get; set; }
    public long NullCount { get; set; }
    public long? DistinctCount { get; set; }
    /// <summary>The distinct count was estimated from a sample, not counted.</summary>
    public bool DistinctApproximate { get; set; }
    public string? MinValue { get; set; }
    public string? MaxValue { get; set; }
    public double? Mean { get; set; }
    public double? StdDev { get; set; }
    public double? Q1 { get; set; }
    public double? Median { get; set; }
    public double? Q3 { get; set; }
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    public double? MeanLength { get; set; }
    /// <summary>The most frequent values and their counts: <c>[{"value":"EU","count":12}]</c>.</summary>
    public string TopValuesJson { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
}

internal sealed class FieldProfileConfiguration : IEntityTypeConfiguration<FieldProfile>
{
    public void Configure(EntityTypeBuilder<FieldProfile> builder)
    {
        builder.HasIndex(p => new { p.OperationId, p.FieldId }).IsUnique();
        builder.HasOne<Operation>().WithMany().HasForeignKey(p => p.OperationId);
        builder.HasOne<Datastore>().WithMany().HasForeignKey(p => p.DatastoreId);
        builder.HasOne<Container>().WithMany().HasForeignKey(p => p.ContainerId);
        builder.HasOne<Field>().WithMany().HasForeignKey(p => p.FieldId);
    }
}
