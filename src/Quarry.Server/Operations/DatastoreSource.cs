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
    /// The queries that read the source's rows, once the run may read them; every runner that reads the source through
    /// its catalog starts here, so they all refuse the same datastores in the same words, before anything is read:
    /// one whose connector cannot read rows yet; one moved to another source since its last sync, whose catalog holds
    /// the old source's containers; and one Quarry has never synced (no container, no successful sync), whose catalog
    /// holds none: a scan or profile of it would check nothing and report success, and a CI gate on it would pass while
    /// checking nothing.
    /// </summary>
    /// <param name="verb">What the run does with the rows, for a connector that cannot read them: "scan".</param>
    /// <param name="nothingDone">What the refused run did not do, ending its message: "nothing was scanned".</param>
    public async Task<ISourceQueries> ReadableAsync(QuarryDb db, string verb, string nothingDone, CancellationToken ct)
    {
        var queries = Connector.SourceQueries
            ?? throw new ConnectorException(ConnectorFailure.Other, $"Quarry cannot {verb} {Connector.Descriptor.DisplayName} datastores yet; {nothingDone}.");
        if (Datastore.CatalogStale)
            throw new ConnectorException(ConnectorFailure.Other, $"{CatalogFields.StaleCatalog(Datastore.Name, Datastore.Id)}; {nothingDone}.");
        if (await db.Containers.AnyAsync(c => c.DatastoreId == Datastore.Id, ct)) return queries;
        var synced = await db.Operations.AnyAsync(o => o.DatastoreId == Datastore.Id && o.Type == OperationQueue.SyncType && o.Result == OperationResult.Success, ct);
        if (!synced)
            throw new ConnectorException(ConnectorFailure.Other,
                $"datastore '{Datastore.Name}' has never been synced, so Quarry knows none of its tables; sync it first: quarry operations sync --datastore-id {Datastore.Id} --wait; {nothingDone}.");
        return queries;
    }
}
