using Quarry.Server.Anomalies;

namespace Quarry.Server.Operations.Scan;

/// <summary>What a write-back wrote, for the scan's message.</summary>
public sealed record EnrichmentWritten(string EnrichmentDatastore, string Prefix, int Containers, int CheckMetrics, int FailedChecks, int SourceRecords)
{
    public string Describe() =>
        $"Wrote {CheckMetrics} check metrics, {FailedChecks} failed checks and {SourceRecords} source records to enrichment datastore '{EnrichmentDatastore}' ({Prefix}_*)";
}

/// <summary>
/// Copies a finished scan's results from Quarry's store into the enrichment datastore its datastore links to
/// (docs/enrichment.md). It only reads the store, so a failure here loses nothing Quarry recorded; it fails the scan
/// with a message that says where the write went and what to fix. Writing the same scan again replaces its rows.
/// </summary>
public sealed class EnrichmentWriteBack(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, ILogger<EnrichmentWriteBack> logger)
{
    /// <summary>Writes the scan <paramref name="operationId"/>; null when its datastore has no enrichment datastore.</summary>
    public async Task<EnrichmentWritten?> WriteAsync(int operationId, CancellationToken ct)
    {
        var operation = await db.Operations.AsNoTracking().SingleAsync(o => o.Id == operationId, ct);
        var source = await db.Datastores.AsNoTracking().SingleAsync(d => d.Id == operation.DatastoreId, ct);
        if (source.EnrichmentDatastoreId is not int targetId) return null;
        var target = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == targetId, ct);
        var connection = target.Connection!;
        var connector = connectors.For(connection.Type);
        var prefix = source.EnrichmentPrefix ?? EnrichmentPrefix.From(source.Name);
        if (!connector.Descriptor.Supports(ConnectorCapabilities.EnrichmentWrite) || connector.EnrichmentWriter is not { } writer)
            throw new ConnectorException(ConnectorFailure.Other,
                $"The scan's results are saved in Quarry, but enrichment datastore '{target.Name}' is a {connector.Descriptor.DisplayName} datastore, "
                + $"which Quarry cannot write enrichment tables to. Link datastore '{source.Name}' to an enrichment datastore of one of these kinds: "
                + string.Join(", ", connectors.Descriptors.Where(d => d.Supports(ConnectorCapabilities.EnrichmentWrite)).Select(d => d.DisplayName).Order()) + ".");

        var scan = await ReadScanAsync(operation, source, ct);
        var catalog = connector.Descriptor.CatalogOf(target.Database, connection.Database);
        var schema = connector.Descriptor.SchemaOf(target.Schema);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await writer.WriteScanAsync(connections.Details(connection), catalog, schema, prefix, scan, ct);
        }
        catch (ConnectorException e)
        {
            var where = catalog is null ? $"schema '{schema}'" : $"schema '{schema}' of database '{catalog}'";
            var anomalies = scan.FailedChecks.Select(f => f.AnomalyId).Distinct().Count();
            var reason = e.Message.TrimEnd();
            throw new ConnectorException(e.Failure,
                $"The scan's results are saved in Quarry ({anomalies} {(anomalies == 1 ? "anomaly" : "anomalies")}), but writing them to "
                + $"enrichment datastore '{target.Name}' ({connector.Describe(connections.Details(connection))}, {where}, tables {prefix}_*) failed: "
                + $"{reason}{(reason.EndsWith('.') ? "" : ".")} Fix that and scan again; nothing of this scan was written there.", e);
        }
        logger.LogInformation("Scan {OperationId}: wrote {Metrics} check metrics to enrichment datastore {DatastoreId} in {Seconds:0.000}s",
            operationId, scan.CheckMetrics.Count, target.Id, clock.Elapsed.TotalSeconds);
        return new EnrichmentWritten(target.Name, prefix, scan.Containers.Count, scan.CheckMetrics.Count, scan.FailedChecks.Count, scan.SourceRecords.Count);
    }

    /// <summary>The scan's rows as the enrichment tables hold them, read from check_results, container_scans and anomalies.</summary>
    private async Task<EnrichmentScan> ReadScanAsync(Operation operation, Datastore source, CancellationToken ct)
    {
        var id = operation.Id;
        var results = await (from r in db.CheckResults.AsNoTracking()
                             where r.OperationId == id
                             join c in db.QualityChecks on r.CheckId equals c.Id
                             orderby r.CheckId
                             select new { Result = r, c.Rule, c.FieldsJson, c.Description }).ToListAsync(ct);
        var containerScans = await db.ContainerScans.AsNoTracking().Where(s => s.OperationId == id).OrderBy(s => s.ContainerId).ToListAsync(ct);
        var containerIds = results.Select(r => r.Result.ContainerId).Concat(containerScans.Select(s => s.ContainerId)).Distinct().ToList();
        var names = await db.Containers.AsNoTracking().Where(c => containerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var anomalyIds = results.Where(r => r.Result.AnomalyId is not null).Select(r => r.Result.AnomalyId!.Value).Distinct().ToList();
        var anomalies = await db.Anomalies.AsNoTracking().Where(a => anomalyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);

        var anomalyCounts = results.Where(r => r.Result.AnomalyId is not null).GroupBy(r => r.Result.ContainerId)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Result.AnomalyId).Distinct().Count());
        var containers = containerScans.Select(s => new ScanOperationRow(id, source.Id, source.Name, s.ContainerId, names[s.ContainerId], s.RecordCount,
            s.ChecksPassed, s.ChecksFailed, s.ChecksUnasserted, anomalyCounts.GetValueOrDefault(s.ContainerId), s.Message, operation.StartTime, s.CreatedAt)).ToList();
        var metrics = results.Select(r => new CheckMetricRow(id, r.Result.ContainerId, names[r.Result.ContainerId], r.Result.CheckId, r.Rule, r.FieldsJson,
            r.Description, r.Result.AssertedRecords, r.Result.AnomalousRecords, r.Result.Result, r.Result.Message, r.Result.AnomalyId, r.Result.CreatedAt)).ToList();
        var failed = results.Where(r => r.Result.AnomalyId is int a && anomalies.ContainsKey(a)).Select(r =>
        {
            var anomaly = anomalies[r.Result.AnomalyId!.Value];
            return new FailedCheckRow(id, anomaly.Id, anomaly.Uuid, r.Result.CheckId, r.Result.ContainerId, names[r.Result.ContainerId], r.Rule,
                anomaly.Status, r.Result.AnomalousRecords ?? anomaly.AnomalousRecords, r.Result.Message ?? anomaly.Message, r.Result.CreatedAt);
        }).ToList();
        var records = anomalies.Values.OrderBy(a => a.Id).SelectMany(a => SourceRecords(id, a, names.GetValueOrDefault(a.ContainerId) ?? "")).ToList();
        return new EnrichmentScan(id, containers, metrics, failed, records);
    }

    /// <summary>The anomaly's sample rows, each kept as the JSON object Quarry stored.</summary>
    private static IEnumerable<SourceRecordRow> SourceRecords(int operationId, Anomaly anomaly, string containerName)
    {
        using var rows = JsonDocument.Parse(anomaly.SourceRecordsJson);
        if (rows.RootElement.ValueKind != JsonValueKind.Array) return [];
        return rows.RootElement.EnumerateArray()
            .Select((row, n) => new SourceRecordRow(operationId, anomaly.Id, anomaly.Uuid, anomaly.ContainerId, containerName, n + 1, row.GetRawText(), anomaly.UpdatedAt))
            .ToList();
    }
}
