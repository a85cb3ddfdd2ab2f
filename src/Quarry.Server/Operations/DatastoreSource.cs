namespace Quarry.Server.Operations;

/// <summary>
/// The datastore an operation reads at its source: the datastore, its connection, the connector for it and where in
/// the source it points (catalog and schema from the connector's descriptor). Syncs, scans, profiles and materializes start from it.
/// </summary>
public sealed record DatastoreSource(Datastore Datastore, Connection Connection, IConnector Connector, SourceScope Scope)
{
    public static async Task<DatastoreSource> LoadAsync(QuarryDb db, ConnectorRegistry connectors, int datastoreId, CancellationToken ct)
    {
        var datastore = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == datastoreId, ct);
        var connection = datastore.Connection!;
        var connector = connectors.For(connection.Type);
        var scope = new SourceScope(connector.Descriptor.CatalogOf(datastore.Database, connection.Database), connector.Descriptor.SchemaOf(datastore.Schema));
        return new DatastoreSource(datastore, connection, connector, scope);
    }

    /// <summary>
    /// Refuses to read a datastore through a catalog that does not describe its source, before anything is read. One
    /// moved to another source since its last sync holds the old source's containers. One Quarry has never synced (no
    /// container, no successful sync) holds none: a scan or profile of it would check nothing and report success, and a CI
    /// gate on it would pass while checking nothing. Every runner that reads the source through its catalog asks this.
    /// </summary>
    /// <param name="nothingDone">What the refused run did not do, ending its message: "nothing was scanned".</param>
    public static async Task EnsureCatalogReadableAsync(QuarryDb db, Datastore datastore, string nothingDone, CancellationToken ct)
    {
        if (datastore.CatalogStale)
            throw new ConnectorException(ConnectorFailure.Other, $"{CatalogFields.StaleCatalog(datastore.Name, datastore.Id)}; {nothingDone}.");
        if (await db.Containers.AnyAsync(c => c.DatastoreId == datastore.Id, ct)) return;
        var synced = await db.Operations.AnyAsync(o => o.DatastoreId == datastore.Id && o.Type == OperationQueue.SyncType && o.Result == OperationResult.Success, ct);
        if (!synced)
            throw new ConnectorException(ConnectorFailure.Other,
                $"datastore '{datastore.Name}' has never been synced, so Quarry knows none of its tables; sync it first: quarry operations sync --datastore-id {datastore.Id} --wait; {nothingDone}.");
    }
}
