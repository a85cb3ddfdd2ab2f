namespace Quarry.Server.Connectors;

/// <summary>
/// Writes Quarry's findings into an enrichment datastore's tables (<see cref="EnrichmentTables"/>). A connector that
/// can returns it from <see cref="IConnector.EnrichmentWriter"/> and declares <see cref="ConnectorCapabilities.EnrichmentWrite"/>
/// in its descriptor. Tables are named <c>&lt;prefix&gt;_&lt;table&gt;</c> in <paramref name="schema"/>, so several source
/// datastores can share one enrichment datastore.
/// </summary>
public interface IEnrichmentWriter
{
    /// <summary>Creates the enrichment tables (named with the datastore's prefix) where they are missing.</summary>
    Task EnsureTablesAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, CancellationToken ct);

    /// <summary>
    /// Writes one scan's rows in one transaction: creates missing tables, deletes whatever an earlier write of the same
    /// operation left, then inserts. Writing the same scan twice leaves its rows once; a failure leaves none of them.
    /// </summary>
    Task WriteScanAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, EnrichmentScan scan, CancellationToken ct);
}
