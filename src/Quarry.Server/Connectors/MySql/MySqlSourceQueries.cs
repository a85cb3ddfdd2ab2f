using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// Runs scan statements on MySQL in the datastore's schema (its database, so a computed table's query may name its
/// tables unqualified), each with the connection's <c>scan_timeout</c>. Cancelling kills the running query.
/// </summary>
internal sealed class MySqlSourceQueries : ISourceQueries
{
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        MySqlSourceConnector.RunAsync<IReadOnlyList<object?>>(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return [];
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            return row;
        }, ct, scope.Schema);

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        MySqlSourceConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (rows.Count < maxRows && await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return new SourceRows(columns, rows);
        }, ct, scope.Schema);

    public Task StreamRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, ISourceRowSink sink, CancellationToken ct) =>
        MySqlSourceConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await SourceStream.CopyAsync(reader, sink, i => reader.IsDBNull(i) ? null : reader.GetValue(i), ct);
            return true;
        }, ct, scope.Schema);

    private static MySqlCommand Command(MySqlConnection db, ConnectionDetails connection, SourceStatement statement)
    {
        var command = new MySqlCommand(statement.Sql, db)
        {
            CommandTimeout = MySqlSourceConnector.IntParameter(connection, "scan_timeout") ?? MySqlSourceConnector.DefaultScanTimeout,
        };
        foreach (var parameter in statement.Parameters)
            command.Parameters.AddWithValue("@" + parameter.Name, parameter.Value ?? DBNull.Value);
        return command;
    }
}
