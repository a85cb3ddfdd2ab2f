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

    /// <summary>
    /// Reads every row of a statement and hands them to <paramref name="sink"/> in batches of at most
    /// <see cref="ISourceRowSink.BatchSize"/>, each written before the next is read: the one read that is not bounded, for a
    /// materialize, which holds one batch in memory at a time however large the container is.
    /// </summary>
    Task StreamRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, ISourceRowSink sink, CancellationToken ct) =>
        throw new NotSupportedException("Quarry cannot yet copy rows out of this kind of datastore.");
}

/// <summary>Where <see cref="ISourceQueries.StreamRowsAsync"/> puts what it reads: the columns once, then batches of rows.</summary>
public interface ISourceRowSink
{
    int BatchSize { get; }

    /// <summary>The statement's columns, with the .NET type of the first row's values (or the declared type without rows).</summary>
    Task ColumnsAsync(IReadOnlyList<SourceColumn> columns, CancellationToken ct);

    Task RowsAsync(IReadOnlyList<object?[]> rows, CancellationToken ct);
}

public sealed record SourceColumn(string Name, Type Type);

/// <summary>The loop every connector's <see cref="ISourceQueries.StreamRowsAsync"/> runs over its driver's reader.</summary>
public static class SourceStream
{
    public static async Task CopyAsync(System.Data.Common.DbDataReader reader, ISourceRowSink sink, Func<int, object?> valueOf, CancellationToken ct)
    {
        var more = await reader.ReadAsync(ct);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new SourceColumn(reader.GetName(i), FieldType(reader, i, more))).ToList();
        await sink.ColumnsAsync(columns, ct);
        var batch = new List<object?[]>(sink.BatchSize);
        while (more)
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = valueOf(i);
            batch.Add(row);
            if (batch.Count >= sink.BatchSize)
            {
                await sink.RowsAsync(batch, ct);
                batch = new List<object?[]>(sink.BatchSize);
            }
            more = await reader.ReadAsync(ct);
        }
        if (batch.Count > 0) await sink.RowsAsync(batch, ct);
    }

    /// <summary>SQLite answers a type per value: the first row's, where there is one (and it is not null), says more than the declaration.</summary>
    private static Type FieldType(System.Data.Common.DbDataReader reader, int i, bool onRow)
    {
        try
        {
            return onRow && !reader.IsDBNull(i) ? reader.GetValue(i).GetType() : reader.GetFieldType(i);
        }
        catch (Exception e) when (e is InvalidCastException or NotSupportedException or InvalidOperationException)
        {
            return typeof(string);
        }
    }
}

/// <summary>Where a statement runs: the datastore's catalog (null without a catalog level) and schema.</summary>
public sealed record SourceScope(string? Catalog, string Schema);

/// <summary>A statement and its parameters; each parameter's name is what <see cref="ISqlDialect.ParameterMarker"/> was given.</summary>
public sealed record SourceStatement(string Sql, IReadOnlyList<SourceParameter> Parameters);

/// <summary>A value bound to a statement: text, a whole number (long), a number (double), a boolean or a UTC date-time.</summary>
public sealed record SourceParameter(string Name, object? Value);

/// <summary>Rows read from a source: their column names and values in column order.</summary>
public sealed record SourceRows(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
