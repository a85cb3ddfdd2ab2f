using Microsoft.Data.Sqlite;

namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// Runs scan statements on a SQLite file, read-only like every other read (<see cref="SqliteConnector"/>), each with the
/// connection's <c>scan_timeout</c>. Cancelling interrupts SQLite, which otherwise runs a statement to its end.
/// </summary>
internal sealed class SqliteSourceQueries : ISourceQueries
{
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        SqliteConnector.RunAsync<IReadOnlyList<object?>>(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            using var interrupt = ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(db.Handle));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return [];
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            return row;
        }, ct);

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        SqliteConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            using var interrupt = ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(db.Handle));
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
        }, ct);

    public Task StreamRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, ISourceRowSink sink, CancellationToken ct) =>
        SqliteConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            using var interrupt = ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(db.Handle));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await SourceStream.CopyAsync(reader, sink, i => reader.IsDBNull(i) ? null : reader.GetValue(i), ct);
            return true;
        }, ct);

    private static SqliteCommand Command(SqliteConnection db, ConnectionDetails connection, SourceStatement statement)
    {
        var command = SqliteConnector.Command(db, connection, statement.Sql);
        command.CommandTimeout = connection.Parameters.TryGetValue("scan_timeout", out var value) && int.TryParse(value, out var seconds) && seconds > 0
            ? seconds
            : SqliteConnector.DefaultScanTimeout;
        foreach (var parameter in statement.Parameters)
            command.Parameters.AddWithValue("@" + parameter.Name, Bindable(parameter.Value));
        return command;
    }

    /// <summary>SQLite stores dates as ISO-8601 text; a date-time parameter is bound the same way so it compares with them.</summary>
    private static object Bindable(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
        bool flag => flag ? 1L : 0L,
        _ => value,
    };
}
