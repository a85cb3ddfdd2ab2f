namespace Quarry.Server.Operations;

/// <summary>
/// The enrichment datastore a source datastore writes to, ready to write: its connection (secrets decrypted, in
/// memory only), the connector's writer, where its tables go and the source's table prefix. Exports and materialize
/// start from it; a datastore without a link, or linked to one Quarry cannot write to, is refused with what to do.
/// </summary>
public sealed record EnrichmentDestination(Datastore Target, ConnectionDetails Connection, IEnrichmentWriter Writer, string? Catalog, string Schema, string Prefix, string Where)
{
    /// <summary>The destination of <paramref name="source"/>'s exports; the problem says what to link when it has none.</summary>
    public static async Task<EnrichmentDestination> OfSourceAsync(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, Datastore source, string what, CancellationToken ct)
    {
        if (source.EnrichmentDatastoreId is not int targetId)
            throw InvalidInputProblem.Single("datastore_id",
                $"datastore '{source.Name}' has no enrichment datastore, so there is nowhere to write its {what}. "
                + $"Link one first: PATCH /api/datastores/{source.Id}/enrichment/{{enrichment_datastore_id}}.");
        var target = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == targetId, ct);
        return Of(connectors, connections, target, source.EnrichmentPrefix ?? Contracts.Datastores.EnrichmentPrefix.From(source.Name), what, "datastore_id");
    }

    /// <summary>
    /// Refuses to queue a run of the datastore that would have nowhere to write its <paramref name="what"/>, answered
    /// as a 400 (<see cref="IOperationRunner.EnsureCanRunAsync"/>).
    /// </summary>
    public static async Task EnsureOfSourceAsync(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, int datastoreId, string what, CancellationToken ct)
    {
        var source = await db.Datastores.AsNoTracking().SingleAsync(d => d.Id == datastoreId, ct);
        await OfSourceAsync(db, connectors, connections, source, what, ct);
    }

    /// <summary>
    /// The destination of a queued run: the link may have gone since the run was queued, which fails the run with the
    /// same advice a request gets, followed by <paramref name="nothingDone"/> ("Nothing was exported.").
    /// </summary>
    public static async Task<EnrichmentDestination> OfRunAsync(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, Datastore source, string what,
        string nothingDone, CancellationToken ct)
    {
        try
        {
            return await OfSourceAsync(db, connectors, connections, source, what, ct);
        }
        catch (InvalidInputProblem problem)
        {
            throw new ConnectorException(ConnectorFailure.Other, $"{problem.Errors!.Values.First()[0]} {nothingDone}");
        }
    }

    /// <summary>The destination of what belongs to no datastore (check templates): the enrichment datastore itself, under its own prefix.</summary>
    public static EnrichmentDestination OfTarget(ConnectorRegistry connectors, ConnectionService connections, Datastore target, string what, string key) =>
        Of(connectors, connections, target, target.EnrichmentPrefix ?? Contracts.Datastores.EnrichmentPrefix.From(target.Name), what, key);

    private static EnrichmentDestination Of(ConnectorRegistry connectors, ConnectionService connections, Datastore target, string prefix, string what, string key)
    {
        var connection = target.Connection!;
        var connector = connectors.For(connection.Type);
        if (!connector.Descriptor.Supports(ConnectorCapabilities.EnrichmentWrite) || connector.EnrichmentWriter is not { } writer)
            throw InvalidInputProblem.Single(key,
                $"enrichment datastore '{target.Name}' is a {connector.Descriptor.DisplayName} datastore, which Quarry cannot write {what} to. "
                + "Link a PostgreSQL, MySQL or SQLite enrichment datastore instead.");
        var details = connections.Details(connection);
        var catalog = connector.Descriptor.CatalogOf(target.Database, connection.Database);
        var schema = connector.Descriptor.SchemaOf(target.Schema);
        var where = $"enrichment datastore '{target.Name}' ({connector.Describe(details)}, {(catalog is null ? $"schema '{schema}'" : $"schema '{schema}' of database '{catalog}'")})";
        return new EnrichmentDestination(target, details, writer, catalog, schema, prefix, where);
    }
}
