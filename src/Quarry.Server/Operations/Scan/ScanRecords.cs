using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Quarry.Server.Anomalies;
using Quarry.Server.ScanResults;

namespace Quarry.Server.Operations.Scan;

/// <summary>The result of one check in one scan.</summary>
public static class CheckOutcome
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    /// <summary>The check could not be evaluated (a field gone since the last sync, an expression the source refused); the message says why.</summary>
    public const string Unasserted = "unasserted";
}

/// <summary>One check evaluated by one scan: the rows asserted, the rows that failed, the result and the anomaly it opened or updated.</summary>
public sealed class CheckResult : IScanRecord
{
    public int Id { get; set; }
    public int OperationId { get; set; }
    public int DatastoreId { get; set; }
    public int ContainerId { get; set; }
    public int CheckId { get; set; }
    public required string Result { get; set; }
    public long? AssertedRecords { get; set; }
    public long? AnomalousRecords { get; set; }
    public string? Message { get; set; }
    public int? AnomalyId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One container scanned by one scan: its row count and how its checks went.</summary>
public sealed class ContainerScan : IScanRecord
{
    public int Id { get; set; }
    public int OperationId { get; set; }
    public int DatastoreId { get; set; }
    public int ContainerId { get; set; }
    public long? RecordCount { get; set; }
    public int ChecksPassed { get; set; }
    public int ChecksFailed { get; set; }
    public int ChecksUnasserted { get; set; }
    public string? Message { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class CheckResultConfiguration : IEntityTypeConfiguration<CheckResult>
{
    public void Configure(EntityTypeBuilder<CheckResult> builder)
    {
        builder.HasIndex(r => new { r.OperationId, r.CheckId }).IsUnique();
        builder.HasOne<Operation>().WithMany().HasForeignKey(r => r.OperationId);
        builder.HasOne<Datastore>().WithMany().HasForeignKey(r => r.DatastoreId);
        builder.HasOne<Container>().WithMany().HasForeignKey(r => r.ContainerId);
        builder.HasOne<QualityCheck>().WithMany().HasForeignKey(r => r.CheckId);
        builder.HasOne<Anomaly>().WithMany().HasForeignKey(r => r.AnomalyId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ContainerScanConfiguration : IEntityTypeConfiguration<ContainerScan>
{
    public void Configure(EntityTypeBuilder<ContainerScan> builder)
    {
        builder.HasIndex(s => new { s.OperationId, s.ContainerId }).IsUnique();
        builder.HasOne<Operation>().WithMany().HasForeignKey(s => s.OperationId);
        builder.HasOne<Datastore>().WithMany().HasForeignKey(s => s.DatastoreId);
        builder.HasOne<Container>().WithMany().HasForeignKey(s => s.ContainerId);
    }
}
