using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// Runs scan statements on a SQLite file, read-only like every other read (<see cref="SqliteConnector"/>), each with the
/// connection's <c>scan_timeout</c>. Cancelling interrupts SQLite, which otherwise runs a statement to its end.
/// </summary>
internal sealed class SqliteSourceQueries : DbSourceQueries
{
    protected override Task<T> ReadAsync<T>(ConnectionDetails connection, SourceScope scope, SourceStatement statement, Func<DbDataReader, Task<T>> read,
        CancellationToken ct) =>
        SqliteConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            using var interrupt = ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(db.Handle));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await read(reader);
        }, ct);

    private static SqliteCommand Command(SqliteConnection db, ConnectionDetails connection, SourceStatement statement)
    {
        var command = SqliteConnector.Command(db, connection, statement.Sql);
        command.CommandTimeout = connection.IntParameter("scan_timeout") ?? SqliteConnector.DefaultScanTimeout;
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
