using Microsoft.Data.Sqlite;

namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// Reads a SQLite file on the Quarry server, read-only: it never writes the database or its '-wal'. Like any reader of a
/// WAL-mode database, SQLite creates a missing '-wal' (empty) and '-shm' (its shared index) beside it, which only a
/// read-write connection's last close removes (docs/sync.md, "SQLite files"). There is no catalog level; the schemas
/// are <c>main</c> plus the databases attached by the connection parameter <c>attach</c>:
/// <c>{"attach": {"archive": "/data/archive.db"}}</c>.
/// </summary>
public sealed class SqliteConnector : IConnector
{
    public const string TypeName = "sqlite";

    private const string ReadsFile = "it reads the database file at 'path' on the Quarry server.";

    public static readonly ConnectorDescriptor Declaration = new()
    {
        Type = TypeName,
        DisplayName = "SQLite",
        RequiredFields = [(ConnectionFields.Path, $"is required for a {TypeName} connection: the database file's path on the server.")],
        UnusedFields =
        [
            (ConnectionFields.Host, ReadsFile),
            (ConnectionFields.Port, ReadsFile),
            (ConnectionFields.Username, ReadsFile),
            (ConnectionFields.Password, ReadsFile),
            (ConnectionFields.Database, ReadsFile + " Its datastores' schema ('main' or an attached database) says what they read."),
        ],
        CatalogLevel = CatalogLevel.None,
        NoCatalogReason = "it reads the file at the connection's 'path', and 'schema' ('main' or an attached database) says which part.",
        DefaultSchema = "main",
        Capabilities = ConnectorCapabilities.CatalogRead | ConnectorCapabilities.EnrichmentWrite,
    };

    private static readonly SqliteDialect SqlDialect = new();

    /// <summary>Seconds a query may wait on a locked file; a parameter <c>command_timeout</c> overrides it.</summary>
    public const int DefaultCommandTimeout = 30;

    public ConnectorDescriptor Descriptor => Declaration;
    public ISqlDialect Dialect => SqlDialect;
    public IEnrichmentWriter EnrichmentWriter { get; } = new SqliteEnrichmentWriter(SqlDialect);
    public ISourceQueries SourceQueries { get; } = new SqliteSourceQueries();

    /// <summary>Seconds one scan statement may take; a parameter <c>scan_timeout</c> overrides it.</summary>
    public const int DefaultScanTimeout = 3600;

    public string Describe(ConnectionDetails connection) => $"SQLite file '{connection.Path}'";

    public Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, db => CatalogRows.ProbeAsync(Command(db, connection, "SELECT count(*) FROM sqlite_master"), ct), ct);

    public Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, db => SchemasAsync(db, connection, ct), ct);

    public Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync(connection, async db =>
        {
            var schemas = await SchemasAsync(db, connection, ct);
            if (!schemas.Contains(schema, StringComparer.OrdinalIgnoreCase))
                return new SchemaCheck(false, MissingSchema(schema, schemas).Message);
            await using var count = Command(db, connection, $"SELECT count(*) FROM {Quote(schema)}.sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
            var containers = (long)(await count.ExecuteScalarAsync(ct))!;
            return new SchemaCheck(true, $"Schema '{schema}' of '{connection.Path}' exists and is readable ({containers} containers).");
        }, ct);

    public Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync<IReadOnlyList<ContainerInfo>>(connection, async db =>
        {
            var schemas = await SchemasAsync(db, connection, ct);
            if (!schemas.Contains(schema, StringComparer.OrdinalIgnoreCase)) throw MissingSchema(schema, schemas);

            // One query for every container and column: pragma_table_info as a table-valued function.
            var sql = $"""
                SELECT m.name, m.type, p.name, p.type, p."notnull" = 0
                FROM {Quote(schema)}.sqlite_master m
                LEFT JOIN pragma_table_info(m.name, @schema) p
                WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
                ORDER BY m.name, p.cid
                """;
            await using var command = Command(db, connection, sql);
            command.Parameters.AddWithValue("@schema", schema);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await CatalogRows.ReadAsync(reader, kind => kind, ct);
        }, ct);

    private static Task<IReadOnlyList<string>> SchemasAsync(SqliteConnection db, ConnectionDetails connection, CancellationToken ct) =>
        CatalogRows.NamesAsync(Command(db, connection, "SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq"), ct);

    private static ConnectorException MissingSchema(string schema, IReadOnlyList<string> schemas) =>
        new(ConnectorFailure.SchemaMissing,
            $"Schema '{schema}' does not exist; this SQLite connection has: {string.Join(", ", schemas)}. Attach another file with the connection parameter 'attach' ({{\"{schema}\": \"/path/file.db\"}}).");

    internal static SqliteCommand Command(SqliteConnection db, ConnectionDetails connection, string sql)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = connection.IntParameter("command_timeout") ?? DefaultCommandTimeout;
        return command;
    }

    private static string Quote(string identifier) => SqlDialect.QuoteIdentifier(identifier);

    /// <summary>The files attached as extra schemas: alias → path, from the connection parameter <c>attach</c>.</summary>
    internal static IReadOnlyDictionary<string, string> Attachments(ConnectionDetails connection)
    {
        if (!connection.Parameters.TryGetValue("attach", out var json) || string.IsNullOrWhiteSpace(json)) return new Dictionary<string, string>();
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            throw new ConnectorException(ConnectorFailure.Other,
                "The connection parameter 'attach' must be an object of schema name → file path, e.g. {\"archive\": \"/data/archive.db\"}.");
        }
    }

    /// <summary>
    /// Opens the file (read-only, or read-write for <paramref name="write"/>: the enrichment writer), attaches the
    /// connection's other files, runs <paramref name="work"/>, and maps SQLite's failures. Never creates a file.
    /// </summary>
    internal static async Task<T> RunAsync<T>(ConnectionDetails connection, Func<SqliteConnection, Task<T>> work, CancellationToken ct, bool write = false)
    {
        var verb = write ? "written" : "read";
        var path = connection.Path ?? connection.Database;
        if (string.IsNullOrWhiteSpace(path))
            throw new ConnectorException(ConnectorFailure.Other, "The SQLite connection has no path: set 'path' to the database file on the Quarry server.");
        // Mode=ReadOnly never creates the database file, but its error is terse; say plainly which file is missing.
        RequireFile(path, "database");
        var attachments = Attachments(connection);
        foreach (var (alias, file) in attachments) RequireFile(file, $"attached database '{alias}'");
        try
        {
            return await Abandonable.RunAsync(async () =>
            {
                // No pooling: a pooled handle would keep the user's file open, and its -wal and -shm in place, after Quarry is done.
                await using var db = new SqliteConnection(new SqliteConnectionStringBuilder
                {
                    DataSource = path,
                    Mode = write ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
                    Pooling = false,
                    DefaultTimeout = DefaultCommandTimeout,
                }.ToString());
                await db.OpenAsync(ct);
                SqliteFunctions.Register(db);
                foreach (var (alias, file) in attachments)
                {
                    // An attached file opens with the main file's flags: never created.
                    await using var attach = Command(db, connection, $"ATTACH DATABASE @file AS {Quote(alias)}");
                    attach.Parameters.AddWithValue("@file", file);
                    await attach.ExecuteNonQueryAsync(ct);
                }
                return await work(db);
            }, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A read that gave up on a locked file just as it was cancelled: it is still the cancellation.
            throw new OperationCanceledException("Cancelled while reading SQLite.", e, ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 8 && write)
        {
            throw new ConnectorException(ConnectorFailure.PermissionDenied,
                $"SQLite file '{path}' could not be written: {e.Message} Let the Quarry server's user write the file and create files in its folder.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 8)
        {
            // SQLITE_READONLY on a read-only connection: SQLite had to create a file beside the database and may not.
            throw new ConnectorException(ConnectorFailure.PermissionDenied,
                $"SQLite file '{path}' could not be read: {e.Message} A database in WAL mode can only be read where its '-wal' and '-shm' files exist or can be created: let the Quarry server's user create files in its folder.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // SQLITE_ERROR: a syntax error, an unknown table, column or function, or a function that failed on a value.
            throw new ConnectorException(ConnectorFailure.InvalidStatement, $"SQLite refused the statement: {e.Message}", e);
        }
        catch (SqliteException e)
        {
            throw new ConnectorException(e.SqliteErrorCode switch
            {
                5 or 6 => ConnectorFailure.Timeout,
                3 or 23 => ConnectorFailure.PermissionDenied,
                9 => ConnectorFailure.Timeout,
                _ => ConnectorFailure.Other,
            }, $"SQLite file '{path}' could not be {verb}: {e.Message}", e);
        }
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
            throw new ConnectorException(ConnectorFailure.CatalogMissing,
                $"The SQLite {what} file '{path}' does not exist on the Quarry server. Check the connection's path (Quarry opens it read-only and never creates it).");
    }
}
