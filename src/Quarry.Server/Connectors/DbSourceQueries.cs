using System.Data.Common;

namespace Quarry.Server.Connectors;

/// <summary>
/// The reads shared by connectors whose driver is ADO.NET: a connector opens a reader on its statement
/// (<see cref="ReadAsync"/>), in the datastore's catalog and schema, with its timeout and parameters; this reads it.
/// </summary>
internal abstract class DbSourceQueries : ISourceQueries
{
    /// <summary>Runs <paramref name="statement"/> where <paramref name="scope"/> says and hands its reader to <paramref name="read"/>.</summary>
    protected abstract Task<T> ReadAsync<T>(ConnectionDetails connection, SourceScope scope, SourceStatement statement, Func<DbDataReader, Task<T>> read,
        CancellationToken ct);

    /// <summary>A value of a row read or streamed: null for SQL NULL, else as the driver reads it.</summary>
    protected virtual object? ValueOf(DbDataReader reader, int i) => Plain(reader, i);

    private static object? Plain(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetValue(i);

    /// <summary>An aggregate's values as the driver reads them (not through <see cref="ValueOf"/>).</summary>
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<object?>>(connection, scope, statement, async reader =>
        {
            if (!await reader.ReadAsync(ct)) return [];
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = Plain(reader, i);
            return row;
        }, ct);

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        ReadAsync(connection, scope, statement, async reader =>
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (rows.Count < maxRows && await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++) row[i] = ValueOf(reader, i);
                rows.Add(row);
            }
            return new SourceRows(columns, rows);
        }, ct);

    public Task StreamRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, ISourceRowSink sink, CancellationToken ct) =>
        ReadAsync(connection, scope, statement, async reader =>
        {
            await SourceStream.CopyAsync(reader, sink, i => ValueOf(reader, i), ct);
            return true;
        }, ct);
}
