namespace Quarry.Server.Connectors;

/// <summary>One scan's findings as the enrichment tables hold them; every row carries the scan's operation id.</summary>
public sealed record EnrichmentScan(
    int OperationId,
    IReadOnlyList<ScanOperationRow> Containers,
    IReadOnlyList<CheckMetricRow> CheckMetrics,
    IReadOnlyList<FailedCheckRow> FailedChecks,
    IReadOnlyList<SourceRecordRow> SourceRecords);

/// <summary>A row of <c>&lt;prefix&gt;_scan_operations</c>: one container scanned by one scan.</summary>
public sealed record ScanOperationRow(
    int OperationId, int DatastoreId, string DatastoreName, int ContainerId, string ContainerName, long? RecordsProcessed,
    int ChecksPassed, int ChecksFailed, int ChecksUnasserted, int AnomalyCount, string? Message, DateTime? StartTime, DateTime? EndTime);

/// <summary>A row of <c>&lt;prefix&gt;_check_metrics</c>: one check evaluated by one scan.</summary>
public sealed record CheckMetricRow(
    int OperationId, int ContainerId, string ContainerName, int QualityCheckId, string RuleType, string FieldsJson, string? Description,
    long? AssertedRecords, long? AnomalousRecords, string Result, string? Message, int? AnomalyId, DateTime CreatedAt);

/// <summary>A row of <c>&lt;prefix&gt;_failed_checks</c>: an anomaly and the check whose failure it records.</summary>
public sealed record FailedCheckRow(
    int OperationId, int AnomalyId, string AnomalyUuid, int QualityCheckId, int ContainerId, string ContainerName, string RuleType,
    string AnomalyStatus, long? AnomalousRecords, string? Message, DateTime CreatedAt);

/// <summary>A row of <c>&lt;prefix&gt;_source_records</c>: one failing row kept as a sample, as a JSON object.</summary>
public sealed record SourceRecordRow(
    int OperationId, int AnomalyId, string AnomalyUuid, int ContainerId, string ContainerName, int RecordNumber, string RecordJson, DateTime CreatedAt);
