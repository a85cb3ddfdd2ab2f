using System.Data.Common;

namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// Writes the enrichment tables into a SQLite file (schema <c>main</c> or an attached one): JSON and times as text
/// (ISO 8601, UTC), which SQLite's json_* and date functions read.
/// </summary>
public sealed class SqliteEnrichmentWriter(SqliteDialect dialect) : SqlEnrichmentWriter(dialect)
{
    protected override string TypeOf(EnrichmentType type) => type switch
    {
        EnrichmentType.Integer or EnrichmentType.BigInteger or EnrichmentType.Boolean => "INTEGER",
        EnrichmentType.Number => "REAL",
        EnrichmentType.Decimal => "NUMERIC",
        _ => "TEXT",
    };

    protected override object Bind(object? value) => value is DateTime time
        ? DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : base.Bind(value);

    protected override Task RunAsync(ConnectionDetails connection, string? catalog, string schema, Func<DbConnection, Task> work, CancellationToken ct) =>
        SqliteConnector.RunAsync(connection, async db =>
        {
            await work(db);
            return true;
        }, ct, write: true);
}
