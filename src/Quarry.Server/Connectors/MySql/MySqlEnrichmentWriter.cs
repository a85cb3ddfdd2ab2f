using System.Data.Common;
using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// Writes the enrichment tables into a MySQL schema (a database): JSON as JSON, times as DATETIME(6) in UTC, texts as
/// LONGTEXT. MySQL commits on its own before a CREATE TABLE; the session runs with autocommit off, so the rows written
/// after it still commit together, or not at all.
/// </summary>
public sealed class MySqlEnrichmentWriter(MySqlDialect dialect) : SqlEnrichmentWriter(dialect)
{
    protected override string TypeOf(EnrichmentType type) => type switch
    {
        EnrichmentType.Integer => "INT",
        EnrichmentType.BigInteger => "BIGINT",
        EnrichmentType.Timestamp => "DATETIME(6)",
        EnrichmentType.Json => "JSON",
        EnrichmentType.Number => "DOUBLE",
        EnrichmentType.Decimal => "DECIMAL(65,20)",
        EnrichmentType.Boolean => "BOOLEAN",
        _ => "LONGTEXT",
    };

    protected override async Task RunAsync(ConnectionDetails connection, string? catalog, string schema, Func<DbConnection, Task> work, CancellationToken ct)
    {
        try
        {
            await MySqlSourceConnector.RunAsync(connection, async db =>
            {
                await using (var session = new MySqlCommand("SET autocommit = 0, time_zone = '+00:00'", db)) await session.ExecuteNonQueryAsync(ct);
                await work(db);
                return true;
            }, ct, schema);
        }
        catch (ConnectorException e) when (e.InnerException is MySqlException { Number: 1142 or 1044 } my)
        {
            // The connector's own advice is about reading; writing needs more.
            throw new ConnectorException(ConnectorFailure.PermissionDenied, FailureText.Scrub(
                $"User '{connection.Username}' may not write the enrichment tables in schema '{schema}': {my.Message}. "
                + $"Grant it: GRANT SELECT, INSERT, DELETE, CREATE, DROP ON {MySqlDialect.Quote(schema)}.* TO '{connection.Username}'@'%';",
                connection.Password), e);
        }
    }
}
