namespace Quarry.Server.Connectors;

/// <summary>
/// Runs a planner's statements against a datastore's data. Quarry pushes work down: a statement either aggregates
/// (one row back, however many rows it reads) or reads a bounded handful of rows, so no table is ever pulled into
/// Quarry. Like <see cref="ICatalogReader"/>, every call has a timeout, stops waiting as soon as it is cancelled
/// and reports failures as <see cref="ConnectorException"/> with a message that never holds a secret; a statement the
/// database refuses (syntax, an unknown column, a type mismatch) is <see cref="ConnectorFailure.InvalidStatement"/>.
/// </summary>
public interface ISourceQueries
{
    /// <summary>Runs an aggregate statement and returns its one row, each value as the driver reads it (null for SQL NULL).</summary>
    Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct);

    /// <summary>Reads at most <paramref name="maxRows"/> rows of a statement, with their column names.</summary>
    Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct);
}

/// <summary>Where a statement runs: the datastore's catalog (null without a catalog level) and schema.</summary>
public sealed record SourceScope(string? Catalog, string Schema);

/// <summary>A statement and its parameters; each parameter's name is what <see cref="ISqlDialect.ParameterMarker"/> was given.</summary>
public sealed record SourceStatement(string Sql, IReadOnlyList<SourceParameter> Parameters);

/// <summary>A value bound to a statement: text, a whole number (long), a number (double), a boolean or a UTC date-time.</summary>
public sealed record SourceParameter(string Name, object? Value);

/// <summary>Rows read from a source: their column names and values in column order.</summary>
public sealed record SourceRows(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
