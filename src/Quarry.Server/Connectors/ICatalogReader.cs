namespace Quarry.Server.Connectors;

/// <summary>Reads what a database holds: its catalogs, schemas, containers and fields. Never reads or writes data rows.</summary>
public interface ICatalogReader
{
    /// <summary>Connects and authenticates; with a catalog, also checks it can be opened.</summary>
    Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct);

    /// <summary>
    /// The catalogs the connection can reach (for PostgreSQL: databases, templates and unreachable ones left out); none
    /// for a connector without a catalog level, which need not implement this.
    /// </summary>
    Task<IReadOnlyList<string>> ListCatalogsAsync(ConnectionDetails connection, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>The schemas of a catalog (system schemas left out); <paramref name="catalog"/> is null without a catalog level.</summary>
    Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct);

    /// <summary>Checks that the schema exists and can be read; the result says why not.</summary>
    Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct);

    /// <summary>Every container of a schema with its fields, read with catalog queries (not one round trip per table).</summary>
    Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct);
}
