using Quarry.Server.Connections;

namespace Quarry.Server.Connectors;

/// <summary>
/// Talks to one kind of user database. Every call has a timeout, never logs or returns a secret, and
/// reports failures as <see cref="ConnectorException"/> with a message a person can act on.
/// </summary>
public interface IConnector
{
    /// <summary>The connection type this connector serves, e.g. "postgresql".</summary>
    string Type { get; }

    /// <summary>Whether schemas live inside catalogs (PostgreSQL databases) or are listed directly (SQLite).</summary>
    bool HasCatalogs { get; }

    /// <summary>Connects and authenticates; with a catalog, also checks it can be opened.</summary>
    Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct);

    /// <summary>The catalogs the connection can reach (for PostgreSQL: databases, templates and unreachable ones left out).</summary>
    Task<IReadOnlyList<string>> ListCatalogsAsync(ConnectionDetails connection, CancellationToken ct);

    /// <summary>The schemas of a catalog (system schemas left out); <paramref name="catalog"/> is null without a catalog level.</summary>
    Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct);

    /// <summary>Checks that the schema exists and can be read; the result says why not.</summary>
    Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct);

    /// <summary>Every container of a schema with its fields, read with catalog queries (not one round trip per table).</summary>
    Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct);
}

public sealed record SchemaCheck(bool Ok, string Message);

public sealed record ContainerInfo(string Name, string Type, IReadOnlyList<FieldInfo> Fields);

public sealed record FieldInfo(string Name, int Ordinal, string DataType, bool Nullable);

public enum ConnectorFailure
{
    Unreachable,
    AuthenticationFailed,
    CatalogMissing,
    SchemaMissing,
    PermissionDenied,
    Timeout,
    Other,
}

/// <summary>A database could not be reached or read. <see cref="Exception.Message"/> is safe to show: it never holds a secret.</summary>
public sealed class ConnectorException(ConnectorFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ConnectorFailure Failure { get; } = failure;
}
