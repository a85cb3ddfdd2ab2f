namespace Quarry.Server.Connectors;

/// <summary>
/// Talks to one kind of user database. Every call has a timeout, never logs or returns a secret, and
/// reports failures as <see cref="ConnectorException"/> with a message a person can act on. A connector lives in
/// its own folder (catalog reader, dialect, enrichment writer) and is registered once in <see cref="ConnectorSetup"/>.
/// </summary>
public interface IConnector : ICatalogReader
{
    /// <summary>What the connector is: type name, aliases, fields, catalog level, defaults and capabilities.</summary>
    ConnectorDescriptor Descriptor { get; }

    ISqlDialect Dialect { get; }

    /// <summary>Runs scan and profile statements against the data; null while a connector can only read catalogs.</summary>
    ISourceQueries? SourceQueries => null;

    /// <summary>The profile's questions: null while a connector's dialect cannot answer them (its datastores cannot be profiled).</summary>
    IProfileDialect? ProfileDialect => Dialect as IProfileDialect;

    /// <summary>Null unless the descriptor declares <see cref="ConnectorCapabilities.EnrichmentWrite"/>.</summary>
    IEnrichmentWriter? EnrichmentWriter => null;

    /// <summary>Where a connection points, for messages: never holds a secret.</summary>
    string Describe(ConnectionDetails connection);
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
    /// <summary>The database refused a statement (syntax, an unknown column or function, a type mismatch); the connection itself works.</summary>
    InvalidStatement,
    Other,
}

/// <summary>A database could not be reached or read. <see cref="Exception.Message"/> is safe to show: it never holds a secret.</summary>
public sealed class ConnectorException(ConnectorFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ConnectorFailure Failure { get; } = failure;
}
