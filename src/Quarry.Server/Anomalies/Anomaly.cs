using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Quarry.Server.Operations;

namespace Quarry.Server.Anomalies;

/// <summary>A quality check that failed in a scan, with up to the datastore's source record limit of the failing rows.</summary>
public sealed class Anomaly
{
    public int Id { get; set; }
    public required string Uuid { get; set; }
    public int DatastoreId { get; set; }
    public int ContainerId { get; set; }
    /// <summary>Null once the check is deleted; the anomaly keeps its rule and fields.</summary>
    public int? CheckId { get; set; }
    /// <summary>The scan that first found it.</summary>
    public int? OperationId { get; set; }
    /// <summary>The latest scan that found it failing.</summary>
    public int? LastOperationId { get; set; }
    public string AnomalyType { get; set; } = Contracts.Anomalies.AnomalyType.Record;
    public string Status { get; set; } = AnomalyStatus.Active;
    public required string Rule { get; set; }
    public string FieldsJson { get; set; } = "[]";
    public long? AssertedRecords { get; set; }
    public long? AnomalousRecords { get; set; }
    /// <summary>What failed, in words, e.g. "42 of 10,000 rows are null in email".</summary>
    public string? Message { get; set; }
    /// <summary>A note a person added.</summary>
    public string? Description { get; set; }
    /// <summary>A JSON array of the failing rows, each an object of field name to value (long text truncated).</summary>
    public string SourceRecordsJson { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? StatusChangedAt { get; set; }
}

internal sealed class AnomalyConfiguration : IEntityTypeConfiguration<Anomaly>
{
    public void Configure(EntityTypeBuilder<Anomaly> builder)
    {
        builder.HasIndex(a => a.Uuid).IsUnique();
        builder.HasOne<Datastore>().WithMany().HasForeignKey(a => a.DatastoreId);
        builder.HasOne<Container>().WithMany().HasForeignKey(a => a.ContainerId);
        builder.HasOne<QualityCheck>().WithMany().HasForeignKey(a => a.CheckId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Operation>().WithMany().HasForeignKey(a => a.OperationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Operation>().WithMany().HasForeignKey(a => a.LastOperationId).OnDelete(DeleteBehavior.SetNull);
    }
}
