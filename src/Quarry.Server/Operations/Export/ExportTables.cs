namespace Quarry.Server.Operations.Export;

/// <summary>
/// The tables an export writes into an enrichment datastore, column by column (docs/enrichment.md "Exports"): a
/// snapshot of what Quarry holds about a datastore's anomalies, checks and field profiles, and of the check templates.
/// Each export replaces the rows the previous export of the same datastore wrote; <c>generated_at</c> says when.
/// </summary>
public static class ExportTables
{
    private static EnrichmentColumn Long(string name, bool nullable = false) => new(name, EnrichmentType.BigInteger, nullable);
    private static EnrichmentColumn Text(string name, bool nullable = true) => new(name, EnrichmentType.Text, nullable);
    private static EnrichmentColumn Time(string name, bool nullable = false) => new(name, EnrichmentType.Timestamp, nullable);
    private static EnrichmentColumn Json(string name) => new(name, EnrichmentType.Json);
    private static EnrichmentColumn Number(string name) => new(name, EnrichmentType.Number, true);

    public const string AnomaliesSuffix = "_export_anomalies";
    public const string ChecksSuffix = "_export_checks";
    public const string FieldProfilesSuffix = "_export_field_profiles";
    public const string CheckTemplatesSuffix = "_export_check_templates";

    public static readonly IReadOnlyList<EnrichmentColumn> Anomalies =
    [
        Long("id"), Text("uuid", false), Time("created"), Time("updated"), Text("type", false), Text("status", false), Text("rule_type", false),
        Json("fields"), Long("quality_check_id", true), Long("asserted_records_count", true), Long("anomalous_records_count", true), Text("message"),
        Text("description"), Json("global_tags"), Long("container_id"), Text("source_container", false), Long("datastore_id"), Text("source_datastore", false),
        Time("generated_at"),
    ];

    public static readonly IReadOnlyList<EnrichmentColumn> Checks =
    [
        Long("id"), Time("created"), Time("updated"), Text("rule_type", false), Text("status", false), Json("fields"), Json("properties"), Text("filter"),
        Number("coverage"), Text("description"), Json("global_tags"), Json("additional_metadata"), new("inferred", EnrichmentType.Boolean), Text("uid"),
        Long("container_id"), Text("source_container", false), Long("datastore_id"), Text("source_datastore", false), Time("generated_at"),
    ];

    public static readonly IReadOnlyList<EnrichmentColumn> FieldProfiles =
    [
        Long("field_id"), Text("field_name", false), Long("container_id"), Text("source_container", false), Long("datastore_id"), Text("source_datastore", false),
        Long("operation_id"), Time("profiled_at"), Text("declared_type", false), Text("inferred_type", false), new("sampled", EnrichmentType.Boolean),
        Long("record_count"), Long("null_count"), Long("distinct_count", true), Text("min_value"), Text("max_value"), Number("mean"), Number("std_dev"),
        Number("q1"), Number("median"), Number("q3"), Long("min_length", true), Long("max_length", true), Number("mean_length"), Json("top_values"),
        Time("generated_at"),
    ];

    public static readonly IReadOnlyList<EnrichmentColumn> CheckTemplates =
    [
        Long("id"), Time("created"), Time("updated"), Text("rule_type", false), Json("fields"), Json("properties"), Text("filter"), Number("coverage"),
        Text("description"), Json("global_tags"), Json("additional_metadata"), Time("generated_at"),
    ];
}
