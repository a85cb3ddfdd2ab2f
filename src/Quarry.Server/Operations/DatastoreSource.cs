namespace Quarry.Server.Operations;

/// <summary>
/// The datastore an operation reads at its source: the datastore, its connection, the connector for it and where in
/// the source it points (catalog and schema from the connector's descriptor). Syncs, scans and profiles start from it.
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
}
