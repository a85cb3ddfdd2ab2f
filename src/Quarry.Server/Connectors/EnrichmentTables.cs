namespace Quarry.Server.Connectors;

/// <summary>The kinds of value an enrichment column holds; each writer names its database's type for them.</summary>
public enum EnrichmentType
{
    Integer,
    BigInteger,
    Text,
    Timestamp,
    Json,
    /// <summary>A floating-point number (a materialized container's real columns).</summary>
    Number,
    /// <summary>An exact decimal number (a materialized container's numeric columns).</summary>
    Decimal,
    Boolean,
}

public sealed record EnrichmentColumn(string Name, EnrichmentType Type, bool Nullable = false);

/// <summary>One enrichment table: its name after the prefix, its columns, its key, and each row's values in column order.</summary>
public sealed record EnrichmentTable(string Suffix, IReadOnlyList<EnrichmentColumn> Columns, IReadOnlyList<string> Key, Func<EnrichmentScan, IEnumerable<object?[]>> Rows)
{
    public string NameFor(string prefix) => prefix + Suffix;
}

/// <summary>
/// The four tables a scan writes into an enrichment datastore, column by column (docs/enrichment.md describes them).
/// Every table has <c>operation_id</c>: a rewrite of one scan deletes that scan's rows first. The keys make a duplicate
/// impossible even for a writer that forgot to.
/// </summary>
public static class EnrichmentTables
{
    private static EnrichmentColumn Int(string name, bool nullable = false) => new(name, EnrichmentType.Integer, nullable);
    private static EnrichmentColumn Long(string name, bool nullable = false) => new(name, EnrichmentType.BigInteger, nullable);
    private static EnrichmentColumn Text(string name, bool nullable = false) => new(name, EnrichmentType.Text, nullable);
    private static EnrichmentColumn Time(string name, bool nullable = false) => new(name, EnrichmentType.Timestamp, nullable);

    public static readonly EnrichmentTable ScanOperations = new("_scan_operations",
        [
            Long("operation_id"), Long("datastore_id"), Text("datastore_name"), Long("container_id"), Text("container_name"),
            Long("records_processed", true), Int("checks_passed"), Int("checks_failed"), Int("checks_unasserted"), Int("anomaly_count"),
            Text("message", true), Time("start_time", true), Time("end_time", true),
        ],
        ["operation_id", "container_id"],
        scan => scan.Containers.Select(r => new object?[]
        {
            r.OperationId, r.DatastoreId, r.DatastoreName, r.ContainerId, r.ContainerName, r.RecordsProcessed,
            r.ChecksPassed, r.ChecksFailed, r.ChecksUnasserted, r.AnomalyCount, r.Message, r.StartTime, r.EndTime,
        }));

    public static readonly EnrichmentTable CheckMetrics = new("_check_metrics",
        [
            Long("operation_id"), Long("container_id"), Text("container_name"), Long("quality_check_id"), Text("rule_type"),
            new("fields", EnrichmentType.Json), Text("description", true), Long("asserted_records_count", true),
            Long("anomalous_records_count", true), Text("result"), Text("message", true), Long("anomaly_id", true), Time("created_at"),
        ],
        ["operation_id", "quality_check_id"],
        scan => scan.CheckMetrics.Select(r => new object?[]
        {
            r.OperationId, r.ContainerId, r.ContainerName, r.QualityCheckId, r.RuleType, r.FieldsJson, r.Description,
            r.AssertedRecords, r.AnomalousRecords, r.Result, r.Message, r.AnomalyId, r.CreatedAt,
        }));

    public static readonly EnrichmentTable FailedChecks = new("_failed_checks",
        [
            Long("operation_id"), Long("anomaly_id"), Text("anomaly_uuid"), Long("quality_check_id"), Long("container_id"),
            Text("container_name"), Text("rule_type"), Text("anomaly_status"), Long("anomalous_records_count", true),
            Text("message", true), Time("created_at"),
        ],
        ["operation_id", "anomaly_id", "quality_check_id"],
        scan => scan.FailedChecks.Select(r => new object?[]
        {
            r.OperationId, r.AnomalyId, r.AnomalyUuid, r.QualityCheckId, r.ContainerId, r.ContainerName, r.RuleType,
            r.AnomalyStatus, r.AnomalousRecords, r.Message, r.CreatedAt,
        }));

    public static readonly EnrichmentTable SourceRecords = new("_source_records",
        [
            Long("operation_id"), Long("anomaly_id"), Text("anomaly_uuid"), Long("container_id"), Text("container_name"),
            Int("record_number"), new("record", EnrichmentType.Json), Time("created_at"),
        ],
        ["operation_id", "anomaly_id", "record_number"],
        scan => scan.SourceRecords.Select(r => new object?[]
        {
            r.OperationId, r.AnomalyId, r.AnomalyUuid, r.ContainerId, r.ContainerName, r.RecordNumber, r.RecordJson, r.CreatedAt,
        }));

    public static readonly IReadOnlyList<EnrichmentTable> All = [ScanOperations, CheckMetrics, FailedChecks, SourceRecords];
}
