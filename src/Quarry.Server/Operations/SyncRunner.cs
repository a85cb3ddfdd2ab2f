using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quarry.Server.Catalog;
using Quarry.Server.Connections;
using Quarry.Server.Connectors;
using Quarry.Server.Store;

namespace Quarry.Server.Operations;

/// <summary>The user asked to abort the operation; it ends as <c>aborted</c> and writes nothing.</summary>
public sealed class OperationAbortedException() : Exception("Aborted by a user.");

/// <summary>
/// Runs one sync: reads every container and field through the connector, then reconciles the stored catalog
/// in one transaction. Reading comes first and fully, so a failed or aborted sync leaves the catalog as it was.
/// </summary>
public sealed class SyncRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, ILogger<SyncRunner> logger)
{
    /// <summary>Syncs the operation's datastore and returns the success message; throws on failure or abort.</summary>
    public async Task<string> RunAsync(int operationId, CancellationToken ct)
    {
        var operation = await db.Operations.AsNoTracking().SingleAsync(o => o.Id == operationId, ct);
        var datastore = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == operation.DatastoreId, ct);
        var connection = datastore.Connection!;
        var connector = connectors.For(connection.Type);
        var catalog = connector.HasCatalogs ? datastore.Database ?? connection.Database : null;
        var schema = SchemaOf(datastore.Schema, connector);

        logger.LogInformation("Sync {OperationId}: reading datastore {DatastoreId} ({Type} {Catalog}/{Schema})",
            operationId, datastore.Id, connection.Type, catalog ?? "-", schema);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var containers = await connector.ReadContainersAsync(connections.Details(connection), catalog, schema, ct);
        var read = clock.Elapsed;
        await ProgressAsync(operationId, containers.Count, 0, ct);
        await ThrowIfAbortRequestedAsync(operationId, ct);

        var plan = await CatalogPlan.BuildAsync(db, datastore.Id, containers, operation.Prune, ct);
        var planned = clock.Elapsed;
        await CatalogWriter.ApplyAsync(db, datastore.Id, plan, () => ThrowIfAbortRequestedAsync(operationId, ct), ct);
        // The catalog now describes the source the datastore points at, unless it was moved again while this sync read the old one.
        await db.Datastores.Where(d => d.Id == datastore.Id && d.CatalogStale && d.ConnectionId == datastore.ConnectionId
                && d.Database == datastore.Database && d.Schema == datastore.Schema)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CatalogStale, false), ct);
        logger.LogInformation("Sync {OperationId}: read {Containers} containers in {Read:0.000}s, compared in {Plan:0.000}s, wrote in {Write:0.000}s",
            operationId, containers.Count, read.TotalSeconds, (planned - read).TotalSeconds, (clock.Elapsed - planned).TotalSeconds);
        await ProgressAsync(operationId, containers.Count, containers.Count, ct);
        return plan.Describe();
    }

    /// <summary>The schema a datastore reads: its own, or the connector's default one.</summary>
    public static string SchemaOf(string? schema, IConnector connector) =>
        !string.IsNullOrWhiteSpace(schema) ? schema : connector.HasCatalogs ? "public" : "main";

    private Task ProgressAsync(int operationId, int total, int analyzed, CancellationToken ct) =>
        db.Operations.Where(o => o.Id == operationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.TotalContainers, total).SetProperty(o => o.ContainersAnalyzed, analyzed), ct);

    private async Task ThrowIfAbortRequestedAsync(int operationId, CancellationToken ct)
    {
        if (await db.Operations.AsNoTracking().AnyAsync(o => o.Id == operationId && o.AbortRequested, ct)) throw new OperationAbortedException();
    }
}
