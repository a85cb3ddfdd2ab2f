namespace Quarry.Server.Connectors;

/// <summary>
/// Writes Quarry's findings into an enrichment datastore's tables. No connector implements it yet: a connector that
/// does returns it from <see cref="IConnector.EnrichmentWriter"/> and declares
/// <see cref="ConnectorCapabilities.EnrichmentWrite"/> in its descriptor.
/// </summary>
public interface IEnrichmentWriter
{
    /// <summary>Creates the enrichment tables (named with the datastore's prefix) where they are missing.</summary>
    Task EnsureTablesAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, CancellationToken ct);
}
