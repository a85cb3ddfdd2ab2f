using System.Data.Common;
using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// Writes the enrichment tables into a MySQL schema (a database): JSON as JSON, times as DATETIME(6) in UTC, texts as
/// LONGTEXT. MySQL commits on its own before a CREATE TABLE; the session runs with autocommit off, so the rows written
/// after it still commit together, or not at all. A materialized table is therefore built under a name of its own and
/// swapped in with one <c>RENAME TABLE</c>, which MySQL does atomically: readers see the old table or the new one,
/// never a half-written one, and a failure before the swap leaves the old table as it was.
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

    protected override bool ReplacesBySwap => true;

    protected override async Task SwapInAsync(DbConnection db, string schema, string table, string stage, CancellationToken ct)
    {
        string Name(string name) => $"{MySqlDialect.Quote(schema)}.{MySqlDialect.Quote(name)}";
        await using (var exists = new MySqlCommand("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table", (MySqlConnection)db))
        {
            exists.Parameters.AddWithValue("@schema", schema);
            exists.Parameters.AddWithValue("@table", table);
            var present = Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
            var retired = RetiredName(table);
            if (!present)
            {
                await using var rename = new MySqlCommand($"RENAME TABLE {Name(stage)} TO {Name(table)}", (MySqlConnection)db);
                await rename.ExecuteNonQueryAsync(ct);
                return;
            }
            await using (var clear = new MySqlCommand($"DROP TABLE IF EXISTS {Name(retired)}", (MySqlConnection)db)) await clear.ExecuteNonQueryAsync(ct);
            // One statement: both renames happen together or not at all.
            await using (var swap = new MySqlCommand($"RENAME TABLE {Name(table)} TO {Name(retired)}, {Name(stage)} TO {Name(table)}", (MySqlConnection)db))
                await swap.ExecuteNonQueryAsync(ct);
            await using (var drop = new MySqlCommand($"DROP TABLE IF EXISTS {Name(retired)}", (MySqlConnection)db)) await drop.ExecuteNonQueryAsync(ct);
        }
    }

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
                + $"Grant it: GRANT SELECT, INSERT, DELETE, CREATE, DROP, ALTER ON {MySqlDialect.Quote(schema)}.* TO '{connection.Username}'@'%';",
                connection.Password), e);
        }
    }
}
