namespace Quarry.Server.Operations.Sync;

/// <summary>
/// Runs one sync: reads every container and field through the connector, then reconciles the stored catalog
/// in one transaction. Reading comes first and fully, so a failed or aborted sync leaves the catalog as it was.
/// </summary>
public sealed class SyncRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, OperationProgress progress, ILogger<SyncRunner> logger)
    : IOperationRunner
{
    public const string TypeName = OperationQueue.SyncType;

    public string LeftUntouched => "the catalog was left as it was";

    public string? ParametersOf(RunOperationRequest request) => new SyncParameters(request.Prune == true).ToJson();

    /// <summary>Syncs the operation's datastore; throws on failure or abort.</summary>
    public async Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct)
    {
        var operationId = operation.Id;
        var (datastore, connection, connector, scope) = await DatastoreSource.LoadAsync(db, connectors, operation.DatastoreId, ct);

        logger.LogInformation("Sync {OperationId}: reading datastore {DatastoreId} ({Type} {Catalog}/{Schema})",
            operationId, datastore.Id, connection.Type, scope.Catalog ?? "-", scope.Schema);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var containers = await connector.ReadContainersAsync(connections.Details(connection), scope.Catalog, scope.Schema, ct);
        var read = clock.Elapsed;
        await progress.ReportAsync(operationId, containers.Count, 0, ct);
        await progress.ThrowIfAbortRequestedAsync(operationId, ct);

        var prune = SyncParameters.Read(operation.ParametersJson).Prune;
        var plan = await CatalogPlan.BuildAsync(db, datastore.Id, containers, prune, ct);
        var planned = clock.Elapsed;
        await CatalogWriter.ApplyAsync(db, datastore.Id, plan, () => progress.ThrowIfAbortRequestedAsync(operationId, ct), ct);
        // The catalog now describes the source the datastore points at, unless it was moved again while this sync read the
        // old one: the datastore to another connection, database or schema, or its connection to another host, port or file.
        await db.Datastores.Where(d => d.Id == datastore.Id && d.CatalogStale && d.ConnectionId == datastore.ConnectionId
                && d.Database == datastore.Database && d.Schema == datastore.Schema
                && db.Connections.Any(c => c.Id == d.ConnectionId && c.Host == connection.Host && c.Port == connection.Port && c.Path == connection.Path))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CatalogStale, false), ct);
        logger.LogInformation("Sync {OperationId}: read {Containers} containers in {Read:0.000}s, compared in {Plan:0.000}s, wrote in {Write:0.000}s",
            operationId, containers.Count, read.TotalSeconds, (planned - read).TotalSeconds, (clock.Elapsed - planned).TotalSeconds);
        await progress.ReportAsync(operationId, containers.Count, containers.Count, ct);
        var result = new SyncResult(containers.Count, plan.NewContainers.Count, plan.ChangedContainers.Count, plan.RemovedContainers.Count, plan.DeletedContainers.Count);
        return new OperationOutcome(plan.Describe(), result.ToJson());
    }
}
