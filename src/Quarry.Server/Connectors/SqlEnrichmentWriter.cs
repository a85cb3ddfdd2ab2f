using System.Data.Common;
using System.Text;

namespace Quarry.Server.Connectors;

/// <summary>
/// The enrichment write shared by SQL connectors: <c>CREATE TABLE IF NOT EXISTS</c>, then, in one transaction, a delete
/// of the scan's earlier rows and multi-row inserts of at most <see cref="MaxParameters"/> parameters each (a scan may
/// have thousands of checks). A connector supplies how to open a connection, its column types and, for JSON, how a
/// text parameter becomes its JSON type.
/// </summary>
public abstract class SqlEnrichmentWriter(ISqlDialect dialect) : IEnrichmentWriter
{
    /// <summary>Rows per insert at most, whatever the parameter limit allows.</summary>
    private const int MaxRowsPerInsert = 1000;

    /// <summary>Bound values per statement; below every supported database's limit (SQLite 32,766, PostgreSQL 65,535).</summary>
    protected virtual int MaxParameters => 30_000;

    /// <summary>Opens a read-write connection to <paramref name="catalog"/>, runs <paramref name="work"/>, and maps the driver's failures.</summary>
    protected abstract Task RunAsync(ConnectionDetails connection, string? catalog, string schema, Func<DbConnection, Task> work, CancellationToken ct);

    /// <summary>The database's column type for <paramref name="type"/>.</summary>
    protected abstract string TypeOf(EnrichmentType type);

    /// <summary>The SQL that puts a bound text parameter into a JSON column.</summary>
    protected virtual string JsonValue(string parameter) => parameter;

    /// <summary>A value as the driver should bind it.</summary>
    protected virtual object Bind(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => value,
    };

    public Task EnsureTablesAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, CancellationToken ct) =>
        RunAsync(connection, catalog, schema, async db =>
        {
            await using var transaction = await db.BeginTransactionAsync(ct);
            await CreateTablesAsync(db, transaction, schema, prefix, ct);
            await transaction.CommitAsync(ct);
        }, ct);

    public Task WriteScanAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, EnrichmentScan scan, CancellationToken ct) =>
        RunAsync(connection, catalog, schema, async db =>
        {
            await using var transaction = await db.BeginTransactionAsync(ct);
            await CreateTablesAsync(db, transaction, schema, prefix, ct);
            foreach (var table in EnrichmentTables.All)
            {
                await using (var delete = Command(db, transaction, $"DELETE FROM {Name(schema, prefix, table)} WHERE {dialect.QuoteIdentifier("operation_id")} = @operation"))
                {
                    Add(delete, "@operation", scan.OperationId);
                    await delete.ExecuteNonQueryAsync(ct);
                }
                await InsertAsync(db, transaction, Name(schema, prefix, table), table, table.Rows(scan).ToList(), ct);
            }
            await transaction.CommitAsync(ct);
        }, ct);

    private async Task CreateTablesAsync(DbConnection db, DbTransaction transaction, string schema, string prefix, CancellationToken ct)
    {
        foreach (var table in EnrichmentTables.All)
        {
            var columns = table.Columns.Select(c => $"{dialect.QuoteIdentifier(c.Name)} {TypeOf(c.Type)}{(c.Nullable ? "" : " NOT NULL")}");
            var key = string.Join(", ", table.Key.Select(dialect.QuoteIdentifier));
            await using (var create = Command(db, transaction,
                $"CREATE TABLE IF NOT EXISTS {Name(schema, prefix, table)} ({string.Join(", ", columns)}, PRIMARY KEY ({key}))"))
                await create.ExecuteNonQueryAsync(ct);
            await RequireColumnsAsync(db, transaction, schema, prefix, table, ct);
        }
    }

    /// <summary>A table of the same name made by someone else (or an older layout) is named plainly instead of failing an insert.</summary>
    private async Task RequireColumnsAsync(DbConnection db, DbTransaction transaction, string schema, string prefix, EnrichmentTable table, CancellationToken ct)
    {
        await using var probe = Command(db, transaction, $"SELECT * FROM {Name(schema, prefix, table)} WHERE 1 = 0");
        await using var reader = await probe.ExecuteReaderAsync(ct);
        var present = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = table.Columns.Select(c => c.Name).Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new ConnectorException(ConnectorFailure.Other,
                $"Table '{table.NameFor(prefix)}' in schema '{schema}' already exists without the columns Quarry writes ({string.Join(", ", missing)} missing). "
                + "Rename or drop that table, or give the datastore another enrichment_prefix.");
    }

    private async Task InsertAsync(DbConnection db, DbTransaction transaction, string name, EnrichmentTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var width = table.Columns.Count;
        var perInsert = Math.Min(MaxRowsPerInsert, MaxParameters / width);
        var head = $"INSERT INTO {name} ({string.Join(", ", table.Columns.Select(c => dialect.QuoteIdentifier(c.Name)))}) VALUES ";
        for (var start = 0; start < rows.Count; start += perInsert)
        {
            var batch = Math.Min(perInsert, rows.Count - start);
            var sql = new StringBuilder(head, head.Length + batch * width * 8);
            await using var insert = Command(db, transaction, "");
            for (var r = 0; r < batch; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < width; c++)
                {
                    var parameter = $"@p{r * width + c}";
                    if (c > 0) sql.Append(", ");
                    sql.Append(table.Columns[c].Type == EnrichmentType.Json ? JsonValue(parameter) : parameter);
                    Add(insert, parameter, rows[start + r][c]);
                }
                sql.Append(')');
            }
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private string Name(string schema, string prefix, EnrichmentTable table) =>
        $"{dialect.QuoteIdentifier(schema)}.{dialect.QuoteIdentifier(table.NameFor(prefix))}";

    private static DbCommand Command(DbConnection db, DbTransaction transaction, string sql)
    {
        var command = db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = Bind(value);
        command.Parameters.Add(parameter);
    }
}
