using System.Data.Common;
using Npgsql;

namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>
/// Runs scan statements on PostgreSQL, in the datastore's database with its schema first on the search path (so a
/// computed table's query may name its tables unqualified), each with the connection's <c>scan_timeout</c>.
/// </summary>
internal sealed class PostgreSqlSourceQueries : DbSourceQueries
{
    protected override Task<T> ReadAsync<T>(ConnectionDetails connection, SourceScope scope, SourceStatement statement, Func<DbDataReader, Task<T>> read,
        CancellationToken ct) =>
        PostgreSqlConnector.RunAsync(connection, scope.Catalog, async db =>
        {
            await using var command = Command(db, connection, statement);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await read(reader);
        }, ct, scope.Schema);

    /// <summary>A value as .NET reads it; a type Npgsql has no .NET type for (a user-defined type, say) as PostgreSQL writes it.</summary>
    protected override object? ValueOf(DbDataReader reader, int i)
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
        command.CommandTimeout = connection.IntParameter("scan_timeout") ?? PostgreSqlConnector.DefaultScanTimeout;
        foreach (var parameter in statement.Parameters)
            command.Parameters.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
        return command;
    }
}
