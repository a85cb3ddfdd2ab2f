using Npgsql;

namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>
/// Runs scan statements on PostgreSQL, in the datastore's database with its schema first on the search path (so a
/// computed table's query may name its tables unqualified), each with the connection's <c>scan_timeout</c>.
/// </summary>
internal sealed class PostgreSqlSourceQueries : ISourceQueries
{
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        PostgreSqlConnector.RunAsync<IReadOnlyList<object?>>(connection, scope.Catalog, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return [];
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            return row;
        }, ct, scope.Schema);

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        PostgreSqlConnector.RunAsync(connection, scope.Catalog, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (rows.Count < maxRows && await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++) row[i] = ValueOf(reader, i);
                rows.Add(row);
            }
            return new SourceRows(columns, rows);
        }, ct, scope.Schema);

    public Task StreamRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, ISourceRowSink sink, CancellationToken ct) =>
        PostgreSqlConnector.RunAsync(connection, scope.Catalog, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await SourceStream.CopyAsync(reader, sink, i => ValueOf(reader, i), ct);
            return true;
        }, ct, scope.Schema);

    /// <summary>A value as .NET reads it; a type Npgsql has no .NET type for (a user-defined type, say) as PostgreSQL writes it.</summary>
    private static object? ValueOf(NpgsqlDataReader reader, int i)
    {
        if (reader.IsDBNull(i)) return null;
        try
        {
            return reader.GetValue(i);
        }
        catch (InvalidCastException)
        {
            return reader.GetTextReader(i).ReadToEnd();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection db, ConnectionDetails connection, SourceStatement statement)
    {
        var command = PostgreSqlConnector.Command(db, connection, statement.Sql);
        command.CommandTimeout = PostgreSqlConnector.IntParameter(connection, "scan_timeout") ?? PostgreSqlConnector.DefaultScanTimeout;
        foreach (var parameter in statement.Parameters)
            command.Parameters.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
        return command;
    }
}
