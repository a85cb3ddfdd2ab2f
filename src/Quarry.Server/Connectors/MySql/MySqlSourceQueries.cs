using System.Data.Common;
using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// Runs scan statements on MySQL in the datastore's schema (its database, so a computed table's query may name its
/// tables unqualified), each with the connection's <c>scan_timeout</c>. Cancelling kills the running query.
/// </summary>
internal sealed class MySqlSourceQueries : DbSourceQueries
{
    protected override Task<T> ReadAsync<T>(ConnectionDetails connection, SourceScope scope, SourceStatement statement, Func<DbDataReader, Task<T>> read,
        CancellationToken ct) =>
        MySqlSourceConnector.RunAsync(connection, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await read(reader);
        }, ct, scope.Schema);

    private static MySqlCommand Command(MySqlConnection db, ConnectionDetails connection, SourceStatement statement)
    {
        var command = new MySqlCommand(statement.Sql, db)
        {
            CommandTimeout = connection.IntParameter("scan_timeout") ?? MySqlSourceConnector.DefaultScanTimeout,
        };
        foreach (var parameter in statement.Parameters)
            command.Parameters.AddWithValue("@" + parameter.Name, parameter.Value ?? DBNull.Value);
        return command;
    }
}
