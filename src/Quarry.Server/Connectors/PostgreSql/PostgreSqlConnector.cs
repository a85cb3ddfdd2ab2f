using Npgsql;

namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>
/// Reads PostgreSQL through its system catalogs (pg_database, pg_namespace, pg_class, pg_attribute):
/// one query for every container and column of a schema, whatever its size.
/// </summary>
public sealed class PostgreSqlConnector : IConnector
{
    private static readonly PostgreSqlSourceQueries Queries = new();

    public const string TypeName = "postgresql";

    public const int DefaultPort = 5432;

    public static readonly ConnectorDescriptor Declaration = new()
    {
        Type = TypeName,
        DisplayName = "PostgreSQL",
        Aliases = ["postgres"],
        DefaultPort = DefaultPort,
        RequiredFields =
        [
            (ConnectionFields.Host, $"is required for a {TypeName} connection."),
            (ConnectionFields.Username, $"is required for a {TypeName} connection."),
        ],
        UnusedFields = [(ConnectionFields.Path, "it reaches the server at 'host' and 'port'.")],
        CatalogLevel = CatalogLevel.Catalog,
        DefaultSchema = "public",
        RequiresSchema = true,
        Capabilities = ConnectorCapabilities.CatalogRead | ConnectorCapabilities.EnrichmentWrite,
    };

    /// <summary>Seconds to wait for a connection; a parameter <c>connect_timeout</c> overrides it.</summary>
    public const int DefaultConnectTimeout = 10;

    /// <summary>Seconds one catalog query may take; a parameter <c>command_timeout</c> overrides it.</summary>
    public const int DefaultCommandTimeout = 60;

    public ConnectorDescriptor Descriptor => Declaration;
    private static readonly PostgreSqlDialect SqlDialect = new();

    public ISqlDialect Dialect => SqlDialect;
    public IEnrichmentWriter EnrichmentWriter { get; } = new PostgreSqlEnrichmentWriter(SqlDialect);
    public ISourceQueries SourceQueries => Queries;

    /// <summary>Seconds one scan statement may take; a parameter <c>scan_timeout</c> overrides it.</summary>
    public const int DefaultScanTimeout = 3600;

    public string Describe(ConnectionDetails connection) => $"{connection.Type} at {connection.Host}:{connection.Port} as '{connection.Username}'";

    public Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, catalog, db => CatalogRows.ProbeAsync(Command(db, connection, "SELECT 1"), ct), ct);

    public Task<IReadOnlyList<string>> ListCatalogsAsync(ConnectionDetails connection, CancellationToken ct) =>
        RunAsync<IReadOnlyList<string>>(connection, null, async db =>
        {
            // Templates and databases that refuse connections (datallowconn) or this user (CONNECT) can't hold a datastore.
            const string sql = """
                SELECT datname FROM pg_database
                WHERE NOT datistemplate AND datallowconn AND has_database_privilege(datname, 'CONNECT')
                ORDER BY datname
                """;
            return await CatalogRows.NamesAsync(Command(db, connection, sql), ct);
        }, ct);

    public Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync<IReadOnlyList<string>>(connection, catalog, async db =>
        {
            const string sql = """
                SELECT nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema')
                  AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
                ORDER BY nspname
                """;
            return await CatalogRows.NamesAsync(Command(db, connection, sql), ct);
        }, ct);

    public Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync(connection, catalog, async db =>
        {
            var failure = await SchemaProblemAsync(db, connection, catalog, schema, ct);
            if (failure is not null) return new SchemaCheck(false, failure.Message);
            await using var count = Command(db, connection,
                """
                SELECT count(*), count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT'))
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND c.relkind IN ('r','v','m','p') AND NOT c.relispartition
                """);
            count.Parameters.AddWithValue("schema", schema);
            await using var reader = await count.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (containers, readable) = (reader.GetInt64(0), reader.GetInt64(1));
            var where = $"Schema '{schema}' in database '{DatabaseOf(connection, catalog)}'";
            // USAGE on the schema lists its tables; reading them (what checks will do) needs SELECT on each.
            if (containers > 0 && readable == 0)
                return new SchemaCheck(false, $"{where} exists, but user '{connection.Username}' may not read any of its {containers} tables and views. "
                    + $"Grant it: GRANT SELECT ON ALL TABLES IN SCHEMA \"{schema.Replace("\"", "\"\"")}\" TO \"{connection.Username}\";");
            return new SchemaCheck(true, readable == containers
                ? $"{where} exists and is readable ({containers} containers)."
                : $"{where} exists; {readable} of its {containers} containers are readable (grant SELECT on the others to check them).");
        }, ct);

    public Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync<IReadOnlyList<ContainerInfo>>(connection, catalog, async db =>
        {
            // A missing schema must fail the sync, not read as "every container was dropped".
            var failure = await SchemaProblemAsync(db, connection, catalog, schema, ct);
            if (failure is not null) throw failure;

            // Partitions are left out (relispartition): the partitioned table stands for them.
            const string sql = """
                SELECT c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname = @schema AND c.relkind IN ('r','v','m','p') AND NOT c.relispartition
                ORDER BY c.relname, a.attnum
                """;
            await using var command = Command(db, connection, sql);
            command.Parameters.AddWithValue("schema", schema);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await CatalogRows.ReadAsync(reader, ContainerType, ct);
        }, ct);

    private static string ContainerType(string relkind) => relkind switch
    {
        "r" => "table",
        "v" => "view",
        "m" => "materialized_view",
        "p" => "partitioned_table",
        _ => relkind,
    };

    /// <summary>Why <paramref name="schema"/> can't be read, or null when it can.</summary>
    private static async Task<ConnectorException?> SchemaProblemAsync(NpgsqlConnection db, ConnectionDetails connection, string? catalog, string schema, CancellationToken ct)
    {
        await using var command = Command(db, connection, "SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = @schema");
        command.Parameters.AddWithValue("schema", schema);
        var usage = await command.ExecuteScalarAsync(ct);
        var database = DatabaseOf(connection, catalog);
        return usage switch
        {
            null => new ConnectorException(ConnectorFailure.SchemaMissing,
                $"Schema '{schema}' does not exist in database '{database}'. Check the datastore's schema (names are case-sensitive)."),
            false => new ConnectorException(ConnectorFailure.PermissionDenied,
                $"User '{connection.Username}' may not use schema '{schema}' in database '{database}'. Grant it: GRANT USAGE ON SCHEMA \"{schema.Replace("\"", "\"\"")}\" TO \"{connection.Username}\"; and SELECT on its tables."),
            _ => null,
        };
    }

    internal static NpgsqlCommand Command(NpgsqlConnection db, ConnectionDetails connection, string sql) =>
        new(sql, db) { CommandTimeout = connection.IntParameter("command_timeout") ?? DefaultCommandTimeout };

    private static string DatabaseOf(ConnectionDetails connection, string? catalog) => catalog ?? connection.Database ?? "postgres";

    /// <summary>
    /// Opens a connection to <paramref name="catalog"/> (or the connection's database), runs <paramref name="work"/>, maps
    /// failures. With <paramref name="searchPath"/>, unqualified names in the work's statements resolve in that schema.
    /// </summary>
    internal static async Task<T> RunAsync<T>(ConnectionDetails connection, string? catalog, Func<NpgsqlConnection, Task<T>> work, CancellationToken ct,
        string? searchPath = null)
    {
        try
        {
            var connectionString = ConnectionString(connection, catalog, searchPath);
            async Task<T> OnceAsync()
            {
                await using var db = new NpgsqlConnection(connectionString);
                await db.OpenAsync(ct);
                return await work(db);
            }
            return await Abandonable.RunAsync(async () =>
            {
                try
                {
                    return await OnceAsync();
                }
                catch (Exception e) when (!ct.IsCancellationRequested && IsBrokenConnection(e))
                {
                    // A pooled connection outlives a restart of the database (57P01) or a dropped socket, and so do its
                    // pool siblings: discard them all and try once more on a fresh connection. Reads are safe to repeat.
                    await using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
                    return await OnceAsync();
                }
            }, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Cancelling makes Npgsql fail in its own ways (a timeout, a broken connection): it is still the cancellation.
            throw new OperationCanceledException("Cancelled while talking to PostgreSQL.", e, ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw PostgreSqlFailures.Map(e, connection, DatabaseOf(connection, catalog));
        }
    }

    /// <summary>The server ended the session (shutdown, restart, terminated backend) or the socket broke mid-conversation.</summary>
    private static bool IsBrokenConnection(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        NpgsqlException n => n.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    internal static string ConnectionString(ConnectionDetails connection, string? catalog, string? searchPath = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = connection.Host,
            Port = connection.Port ?? DefaultPort,
            Username = connection.Username,
            Password = connection.Password,
            Database = DatabaseOf(connection, catalog),
            Timeout = connection.IntParameter("connect_timeout") ?? DefaultConnectTimeout,
            CommandTimeout = connection.IntParameter("command_timeout") ?? DefaultCommandTimeout,
            ApplicationName = "quarry",
            MaxPoolSize = 10,
        };
        // Quoted, so a schema named with capitals, spaces or commas is that one schema.
        if (searchPath is not null) builder.SearchPath = "\"" + searchPath.Replace("\"", "\"\"") + "\"";
        if (connection.Parameters.TryGetValue("sslmode", out var sslMode) && Enum.TryParse<SslMode>(sslMode.Replace("-", ""), true, out var mode))
            builder.SslMode = mode;
        return builder.ConnectionString;
    }
}
