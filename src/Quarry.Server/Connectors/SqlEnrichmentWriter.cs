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
                await InsertAsync(db, transaction, Name(schema, prefix, table), table.Columns, table.Rows(scan).ToList(), ct);
            }
            await transaction.CommitAsync(ct);
        }, ct);

    private async Task CreateTablesAsync(DbConnection db, DbTransaction transaction, string schema, string prefix, CancellationToken ct)
    {
        foreach (var table in EnrichmentTables.All)
            await CreateTableAsync(db, transaction, schema, table.NameFor(prefix), table.Columns, table.Key, ct);
    }

    private async Task CreateTableAsync(DbConnection db, DbTransaction transaction, string schema, string table, IReadOnlyList<EnrichmentColumn> columns,
        IReadOnlyList<string> key, CancellationToken ct)
    {
        var definitions = columns.Select(c => $"{dialect.QuoteIdentifier(c.Name)} {TypeOf(c.Type)}{(c.Nullable ? "" : " NOT NULL")}");
        var primaryKey = key.Count == 0 ? "" : $", PRIMARY KEY ({string.Join(", ", key.Select(dialect.QuoteIdentifier))})";
        await using (var create = Command(db, transaction, $"CREATE TABLE IF NOT EXISTS {Name(schema, table)} ({string.Join(", ", definitions)}{primaryKey})"))
            await create.ExecuteNonQueryAsync(ct);
        await RequireColumnsAsync(db, transaction, schema, table, columns, ct);
    }

    /// <summary>A table of the same name made by someone else (or an older layout) is named plainly instead of failing an insert.</summary>
    private async Task RequireColumnsAsync(DbConnection db, DbTransaction transaction, string schema, string table, IReadOnlyList<EnrichmentColumn> columns, CancellationToken ct)
    {
        await using var probe = Command(db, transaction, $"SELECT * FROM {Name(schema, table)} WHERE 1 = 0");
        await using var reader = await probe.ExecuteReaderAsync(ct);
        var present = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = columns.Select(c => c.Name).Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new ConnectorException(ConnectorFailure.Other,
                $"Table '{table}' in schema '{schema}' already exists without the columns Quarry writes ({string.Join(", ", missing)} missing). "
                + "Rename or drop that table, or give the datastore another enrichment_prefix.");
    }

    private async Task InsertAsync(DbConnection db, DbTransaction transaction, string name, IReadOnlyList<EnrichmentColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var width = columns.Count;
        var perInsert = Math.Max(1, Math.Min(MaxRowsPerInsert, MaxParameters / width));
        var head = $"INSERT INTO {name} ({string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Name)))}) VALUES ";
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
                    sql.Append(columns[c].Type == EnrichmentType.Json ? JsonValue(parameter) : parameter);
                    Add(insert, parameter, rows[start + r][c]);
                }
                sql.Append(')');
            }
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    public Task ReplaceRowsAsync(ConnectionDetails connection, string? catalog, string schema, IReadOnlyList<EnrichmentRows> tables, CancellationToken ct) =>
        RunAsync(connection, catalog, schema, async db =>
        {
            await using var transaction = await db.BeginTransactionAsync(ct);
            foreach (var table in tables)
            {
                await CreateTableAsync(db, transaction, schema, table.Table, table.Columns, table.Key, ct);
                var owned = table.OwnerColumn is null ? "" : $" WHERE {dialect.QuoteIdentifier(table.OwnerColumn)} = @owner";
                await using (var delete = Command(db, transaction, $"DELETE FROM {Name(schema, table.Table)}{owned}"))
                {
                    if (table.OwnerColumn is not null) Add(delete, "@owner", table.Owner);
                    await delete.ExecuteNonQueryAsync(ct);
                }
                await InsertAsync(db, transaction, Name(schema, table.Table), table.Columns, table.Rows, ct);
            }
            await transaction.CommitAsync(ct);
        }, ct);

    /// <summary>
    /// Whether a table is replaced by building it under another name and swapping it in (<see cref="SwapInAsync"/>):
    /// for a database whose DROP and CREATE TABLE commit on their own, so a transaction cannot hold the replacement.
    /// Otherwise the old table is dropped and the new one written in one transaction.
    /// </summary>
    protected virtual bool ReplacesBySwap => false;

    /// <summary>Puts the finished <paramref name="stage"/> table in place of <paramref name="table"/> in one statement, then drops the old one.</summary>
    protected virtual Task SwapInAsync(DbConnection db, string schema, string table, string stage, CancellationToken ct) =>
        throw new NotSupportedException("This database replaces tables in a transaction.");

    /// <summary>Where a replacement of <paramref name="table"/> is built before it is swapped in: a short name of its own.</summary>
    protected static string StageName(string table) => "_quarry_stage_" + Hash(table);

    /// <summary>Where the table a swap replaced waits to be dropped.</summary>
    protected static string RetiredName(string table) => "_quarry_old_" + Hash(table);

    private static string Hash(string table) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(table)))[..16];

    public Task ReplaceTableAsync(ConnectionDetails connection, string? catalog, string schema, string table, Func<IEnrichmentTableSink, Task> fill, CancellationToken ct) =>
        RunAsync(connection, catalog, schema, async db =>
        {
            var target = ReplacesBySwap ? StageName(table) : table;
            await KeepingOnFailureAsync(db, schema, target, async () =>
            {
                await using var transaction = await db.BeginTransactionAsync(ct);
                await using (var drop = Command(db, transaction, $"DROP TABLE IF EXISTS {Name(schema, target)}")) await drop.ExecuteNonQueryAsync(ct);
                var sink = new TableSink(this, db, transaction, schema, target);
                await fill(sink);
                if (sink.Columns is null) throw new InvalidOperationException("A materialized table was filled without its columns.");
                await transaction.CommitAsync(ct);
            });
            if (ReplacesBySwap) await SwapInAsync(db, schema, table, target, ct);
        }, ct);

    public async Task<long> ReplaceTableFromQueryAsync(ConnectionDetails connection, string? catalog, string schema, string table, string sourceSchema, string select,
        CancellationToken ct)
    {
        long rows = 0;
        var target = ReplacesBySwap ? StageName(table) : table;
        // The session starts in the source's schema, so a computed table's query finds its tables as a scan does.
        await RunAsync(connection, catalog, sourceSchema, async db =>
        {
            await KeepingOnFailureAsync(db, schema, target, async () =>
            {
                await using var transaction = await db.BeginTransactionAsync(ct);
                await using (var drop = Command(db, transaction, $"DROP TABLE IF EXISTS {Name(schema, target)}")) await drop.ExecuteNonQueryAsync(ct);
                await using (var create = Command(db, transaction, $"CREATE TABLE {Name(schema, target)} AS {select}")) await create.ExecuteNonQueryAsync(ct);
                await using (var count = Command(db, transaction, $"SELECT COUNT(*) FROM {Name(schema, target)}"))
                    rows = Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                await transaction.CommitAsync(ct);
            });
            if (ReplacesBySwap) await SwapInAsync(db, schema, table, target, ct);
        }, ct);
        return rows;
    }

    /// <summary>
    /// Runs <paramref name="write"/>; when it fails on a database that replaces by swapping, the half-built stage table
    /// is dropped (the table it was to replace was never touched). A transactional database rolls it back by itself.
    /// </summary>
    private async Task KeepingOnFailureAsync(DbConnection db, string schema, string stage, Func<Task> write)
    {
        try { await write(); }
        catch when (ReplacesBySwap)
        {
            try
            {
                await using var drop = db.CreateCommand();
                drop.CommandText = $"DROP TABLE IF EXISTS {Name(schema, stage)}";
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (DbException) { /* The next replacement drops it first; the failure that matters is the one rethrown. */ }
            throw;
        }
    }

    /// <summary>A materialized table being written: created from the first columns given, then filled batch by batch.</summary>
    private sealed class TableSink(SqlEnrichmentWriter writer, DbConnection db, DbTransaction transaction, string schema, string table) : IEnrichmentTableSink
    {
        public IReadOnlyList<EnrichmentColumn>? Columns { get; private set; }

        public async Task CreateAsync(IReadOnlyList<EnrichmentColumn> columns, CancellationToken ct)
        {
            await writer.CreateTableAsync(db, transaction, schema, table, columns, [], ct);
            Columns = columns;
        }

        public Task InsertAsync(IReadOnlyList<object?[]> rows, CancellationToken ct) =>
            writer.InsertAsync(db, transaction, writer.Name(schema, table), Columns ?? throw new InvalidOperationException("Rows came before the columns."), rows, ct);
    }

    private string Name(string schema, string prefix, EnrichmentTable table) => Name(schema, table.NameFor(prefix));

    private string Name(string schema, string table) => $"{dialect.QuoteIdentifier(schema)}.{dialect.QuoteIdentifier(table)}";

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
