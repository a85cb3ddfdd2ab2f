using System.Text.Json.Serialization;

namespace Quarry.Server.Operations.Export;

/// <summary>What an export wrote, stored as <c>operations.result_json</c>.</summary>
public sealed record ExportResult(
    [property: JsonPropertyName("anomalies")] int? Anomalies,
    [property: JsonPropertyName("checks")] int? Checks,
    [property: JsonPropertyName("field_profiles")] int? FieldProfiles,
    [property: JsonPropertyName("tables")] IReadOnlyList<string> Tables)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// The <c>export</c> operation (and <c>POST /api/export/…</c>, which queue it): writes a datastore's anomalies, checks
/// and field profiles, as Quarry holds them now, into its enrichment datastore's <c>&lt;prefix&gt;_export_*</c> tables,
/// replacing what the previous export of that datastore wrote, in one transaction (docs/enrichment.md "Exports").
/// </summary>
public sealed class ExportRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, ILogger<ExportRunner> logger) : IOperationRunner
{
    public const string TypeName = "export";

    private const string What = "exports";

    public string LeftUntouched => "the export tables kept what the previous export wrote";

    public string? ParametersOf(RunOperationRequest request) => ExportParameters.Of(request).ToJson();

    public Task EnsureCanRunAsync(QuarryDb store, int datastoreId, CancellationToken ct) =>
        EnrichmentDestination.EnsureOfSourceAsync(store, connectors, connections, datastoreId, What, ct);

    public async Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct)
    {
        var parameters = ExportParameters.Read(operation.ParametersJson);
        var datastore = await db.Datastores.AsNoTracking().SingleAsync(d => d.Id == operation.DatastoreId, ct);
        var destination = await EnrichmentDestination.OfRunAsync(db, connectors, connections, datastore, What, "Nothing was exported.", ct);
        if (parameters.ContainerIds is { } ids)
        {
            var own = await db.Containers.AsNoTracking().Where(c => c.DatastoreId == datastore.Id && ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            if (ids.Except(own).ToList() is { Count: > 0 } foreign)
                throw new ConnectorException(ConnectorFailure.Other,
                    $"Datastore '{datastore.Name}' has no container with id {string.Join(", ", foreign)}; nothing was exported.");
        }

        var reader = new ExportReader(db);
        var now = DateTime.UtcNow;
        var tables = new List<EnrichmentRows>();
        if (parameters.Assets.Contains(ExportParameters.Anomalies)) tables.Add(await reader.AnomaliesAsync(datastore, destination.Prefix, parameters, now, ct));
        if (parameters.Assets.Contains(ExportParameters.Checks)) tables.Add(await reader.ChecksAsync(datastore, destination.Prefix, parameters, now, ct));
        if (parameters.Assets.Contains(ExportParameters.FieldProfiles)) tables.Add(await reader.FieldProfilesAsync(datastore, destination.Prefix, parameters, now, ct));
        await WriteAsync(destination, tables, ct);

        int? Count(string suffix) => tables.FirstOrDefault(t => t.Table.EndsWith(suffix, StringComparison.Ordinal))?.Rows.Count;
        var result = new ExportResult(Count(ExportTables.AnomaliesSuffix), Count(ExportTables.ChecksSuffix), Count(ExportTables.FieldProfilesSuffix),
            tables.Select(t => t.Table).ToList());
        logger.LogInformation("Export {OperationId}: {Tables} tables of datastore {DatastoreId} written", operation.Id, tables.Count, datastore.Id);
        var counts = string.Join(", ", new[] { (result.Anomalies, "anomalies"), (result.Checks, "checks"), (result.FieldProfiles, "field profiles") }
            .Where(c => c.Item1 is not null).Select(c => $"{c.Item1} {c.Item2}"));
        return new OperationOutcome($"Exported {counts} to {destination.Where}, tables {string.Join(", ", result.Tables)}.", result.ToJson());
    }

    /// <summary>Writes the check templates (all, or <paramref name="ids"/>) into <paramref name="target"/> under its own prefix; answers the rows written.</summary>
    public async Task<int> ExportTemplatesAsync(Datastore target, IReadOnlyList<int>? ids, CancellationToken ct)
    {
        var destination = EnrichmentDestination.OfTarget(connectors, connections, target, "check templates", "enrich_datastore_id");
        var rows = await new ExportReader(db).CheckTemplatesAsync(destination.Prefix, ids, DateTime.UtcNow, ct);
        await WriteAsync(destination, [rows], ct);
        return rows.Rows.Count;
    }

    private static async Task WriteAsync(EnrichmentDestination destination, IReadOnlyList<EnrichmentRows> tables, CancellationToken ct)
    {
        try
        {
            await destination.Writer.ReplaceRowsAsync(destination.Connection, destination.Catalog, destination.Schema, tables, ct);
        }
        catch (ConnectorException e)
        {
            var reason = e.Message.TrimEnd();
            throw new ConnectorException(e.Failure, $"Writing the export to {destination.Where} failed: {reason}{(reason.EndsWith('.') ? "" : ".")} "
                + "The export tables kept what the previous export wrote.", e);
        }
    }
}
