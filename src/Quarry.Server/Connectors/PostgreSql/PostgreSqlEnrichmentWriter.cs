using System.Data.Common;
using Npgsql;

namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>Writes the enrichment tables into a PostgreSQL schema: JSON as jsonb, times as timestamptz.</summary>
public sealed class PostgreSqlEnrichmentWriter(PostgreSqlDialect dialect) : SqlEnrichmentWriter(dialect)
{
    protected override string TypeOf(EnrichmentType type) => type switch
    {
        EnrichmentType.Integer => "integer",
        EnrichmentType.BigInteger => "bigint",
        EnrichmentType.Timestamp => "timestamptz",
        EnrichmentType.Json => "jsonb",
        EnrichmentType.Number => "double precision",
        EnrichmentType.Decimal => "numeric",
        EnrichmentType.Boolean => "boolean",
        _ => "text",
    };

    protected override string JsonValue(string parameter) => $"CAST({parameter} AS jsonb)";

    protected override async Task RunAsync(ConnectionDetails connection, string? catalog, string schema, Func<DbConnection, Task> work, CancellationToken ct)
    {
        try
        {
            await PostgreSqlConnector.RunAsync(connection, catalog, async db =>
            {
                await work(db);
                return true;
            }, ct, schema);
        }
        catch (ConnectorException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg)
        {
            // The connector's own advice is about reading; writing needs more.
            var quotedSchema = dialect.QuoteIdentifier(schema);
            var user = dialect.QuoteIdentifier(connection.Username ?? "");
            throw new ConnectorException(ConnectorFailure.PermissionDenied, PostgreSqlFailures.Scrub(
                $"User '{connection.Username}' may not write the enrichment tables in schema '{schema}' of database '{catalog ?? connection.Database}': {pg.MessageText}. "
                + $"Grant it: GRANT USAGE, CREATE ON SCHEMA {quotedSchema} TO {user}; (and SELECT, INSERT, DELETE on tables created by someone else).",
                connection.Password), e);
        }
    }
}
