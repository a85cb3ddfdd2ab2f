using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// Reads MySQL and MariaDB through <c>information_schema</c>: one query for a schema's containers, one for all their columns.
/// There is no catalog level: MySQL's databases are its schemas, so a datastore names one as its schema.
/// </summary>
public sealed class MySqlSourceConnector : IConnector
{
    public const string TypeName = "mysql";

    public const int DefaultPort = 3306;

    /// <summary>Seconds to wait for a connection; a parameter <c>connect_timeout</c> overrides it.</summary>
    public const int DefaultConnectTimeout = 10;

    /// <summary>Seconds one catalog query may take; a parameter <c>command_timeout</c> overrides it.</summary>
    public const int DefaultCommandTimeout = 60;

    internal const string SystemSchemas = "'information_schema', 'mysql', 'performance_schema', 'sys'";

    public static readonly ConnectorDescriptor Declaration = new()
    {
        Type = TypeName,
        DisplayName = "MySQL / MariaDB",
        Aliases = ["mariadb"],
        DefaultPort = DefaultPort,
        RequiredFields =
        [
            (ConnectionFields.Host, $"is required for a {TypeName} connection."),
            (ConnectionFields.Username, $"is required for a {TypeName} connection."),
        ],
        UnusedFields =
        [
            (ConnectionFields.Path, "it reaches the server at 'host' and 'port'."),
            (ConnectionFields.Database, "MySQL's databases are its schemas: each datastore names the one it reads as its 'schema'."),
        ],
        CatalogLevel = CatalogLevel.None,
        NoCatalogReason = "MySQL's databases are its schemas: the datastore's 'schema' names the database it reads.",
        DefaultSchema = "",
        RequiresSchema = true,
        Capabilities = ConnectorCapabilities.CatalogRead | ConnectorCapabilities.EnrichmentWrite,
    };

    /// <summary>Seconds one scan statement may take; a parameter <c>scan_timeout</c> overrides it.</summary>
    public const int DefaultScanTimeout = 3600;

    private static readonly MySqlSourceQueries Queries = new();

    private static readonly MySqlDialect SqlDialect = new();

    public ConnectorDescriptor Descriptor => Declaration;
    public ISqlDialect Dialect => SqlDialect;
    public ISourceQueries SourceQueries => Queries;
    public IEnrichmentWriter EnrichmentWriter { get; } = new MySqlEnrichmentWriter(SqlDialect);

    public string Describe(ConnectionDetails connection) => $"{connection.Type} at {connection.Host}:{connection.Port ?? DefaultPort} as '{connection.Username}'";

    public Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, db => CatalogRows.ProbeAsync(Command(db, connection, "SELECT 1"), ct), ct);

    // information_schema lists only the databases this user holds some privilege on: the ones it could read.
    public Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, db => CatalogRows.NamesAsync(Command(db, connection,
            $"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ({SystemSchemas}) ORDER BY BINARY SCHEMA_NAME"), ct), ct);

    public Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync(connection, async db =>
        {
            var user = await CurrentUserAsync(db, connection, ct);
            if (!await SchemaVisibleAsync(db, connection, schema, ct)) return new SchemaCheck(false, MissingSchema(connection, schema, user).Message);
            // A user may see a database through any privilege (SHOW VIEW, INSERT…); reading it needs SELECT,
            // granted on the whole server, on the database, or table by table.
            await using var count = Command(db, connection, """
                SELECT count(*), coalesce(sum(
                    EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES p WHERE p.GRANTEE = @grantee AND p.PRIVILEGE_TYPE = 'SELECT')
                    OR EXISTS (SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES p WHERE p.GRANTEE = @grantee AND p.PRIVILEGE_TYPE = 'SELECT' AND p.TABLE_SCHEMA = t.TABLE_SCHEMA)
                    OR EXISTS (SELECT 1 FROM information_schema.TABLE_PRIVILEGES p WHERE p.GRANTEE = @grantee AND p.PRIVILEGE_TYPE = 'SELECT'
                               AND p.TABLE_SCHEMA = t.TABLE_SCHEMA AND p.TABLE_NAME = t.TABLE_NAME)), 0)
                FROM information_schema.TABLES t
                WHERE t.TABLE_SCHEMA = @schema AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
                """);
            count.Parameters.AddWithValue("@schema", schema);
            count.Parameters.AddWithValue("@grantee", user.Grantee);
            await using var reader = await count.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (containers, readable) = (reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1)));
            var where = $"Schema '{schema}' on {Server(connection)}";
            if (containers > 0 && readable == 0)
                return new SchemaCheck(false, $"{where} exists, but user {user.Display} may not read any of its {containers} tables and views. "
                    + $"Grant it: {GrantSelect(schema, user)}");
            return new SchemaCheck(true, readable == containers
                ? $"{where} exists and is readable ({containers} containers)."
                : $"{where} exists; {readable} of its {containers} containers are readable (grant SELECT on the others to check them).");
        }, ct);

    public Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync<IReadOnlyList<ContainerInfo>>(connection, async db =>
        {
            // A missing schema must fail the sync, not read as "every container was dropped".
            if (!await SchemaVisibleAsync(db, connection, schema, ct))
                throw MissingSchema(connection, schema, await CurrentUserAsync(db, connection, ct));

            // Two catalog queries per schema, never one per table, run side by side on two connections: each costs the
            // server about the same (it opens every table's definition), so the read takes as long as the slower one.
            // Not a join of TABLES with COLUMNS: MariaDB evaluates that join by opening every table's definition once
            // per table, minutes for 5,000 tables. The columns come unsorted (a sort of every column of the schema costs
            // the server more than ordering each table's few columns here).
            var columns = ReadColumnsAsync(connection, schema, ct);
            try
            {
                // BINARY ordering keeps "Orders" and "orders" (distinct tables where names are case-sensitive) apart.
                var containers = new List<(string Name, string Type)>();
                await using (var command = Command(db, connection, """
                    SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES
                    WHERE TABLE_SCHEMA = @schema AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
                    ORDER BY BINARY TABLE_NAME
                    """))
                {
                    command.Parameters.AddWithValue("@schema", schema);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) containers.Add((reader.GetString(0), ContainerType(reader.GetString(1))));
                }
                var byTable = await columns;
                return containers.Select(c => new ContainerInfo(c.Name, c.Type, FieldsOf(byTable, c.Name))).ToList();
            }
            catch
            {
                // The columns' query must not be left running unobserved when the tables' query failed.
                try { await columns; } catch (Exception) { /* the tables' failure is the one reported */ }
                throw;
            }
        }, ct);

    /// <summary>Every column of <paramref name="schema"/> by table, as (position, field) in the order the server sent them.</summary>
    private static async Task<Dictionary<string, List<(long Position, FieldInfo Field)>>> ReadColumnsAsync(ConnectionDetails connection, string schema, CancellationToken ct)
    {
        await using var db = new MySqlConnection(ConnectionString(connection));
        await db.OpenAsync(ct);
        await using var command = Command(db, connection, """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES', ORDINAL_POSITION FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = @schema
            """);
        command.Parameters.AddWithValue("@schema", schema);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var byTable = new Dictionary<string, List<(long, FieldInfo)>>(StringComparer.Ordinal);
        List<(long, FieldInfo)>? fields = null;
        string? table = null;
        while (await reader.ReadAsync(ct))
        {
            // A table's columns come together: look the list up again only when the table changes.
            var name = reader.GetString(0);
            if (name != table)
            {
                table = name;
                if (!byTable.TryGetValue(name, out fields)) byTable[name] = fields = [];
            }
            fields!.Add((Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
                new FieldInfo(reader.GetString(1), 0, reader.GetString(2), reader.GetBoolean(3))));
        }
        return byTable;
    }

    /// <summary>A table's fields in column order, with dense ordinals (1, 2, 3…) as for every connector.</summary>
    private static List<FieldInfo> FieldsOf(Dictionary<string, List<(long Position, FieldInfo Field)>> byTable, string table)
    {
        if (!byTable.TryGetValue(table, out var columns)) return [];
        columns.Sort((a, b) => a.Position.CompareTo(b.Position));
        return columns.Select((c, i) => c.Field with { Ordinal = i + 1 }).ToList();
    }

    private static string ContainerType(string tableType) => tableType switch
    {
        "BASE TABLE" or "SYSTEM VERSIONED" => "table",
        "VIEW" => "view",
        _ => tableType.ToLowerInvariant(),
    };

    private static async Task<bool> SchemaVisibleAsync(MySqlConnection db, ConnectionDetails connection, string schema, CancellationToken ct)
    {
        await using var command = Command(db, connection, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @schema");
        command.Parameters.AddWithValue("@schema", schema);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The account the server matched the login to: 'user'@'host', as grants name it.</summary>
    private sealed record Account(string User, string Host)
    {
        public string Grantee => $"'{User}'@'{Host}'";
        public string Display => $"'{User}'@'{Host}'";
    }

    private static async Task<Account> CurrentUserAsync(MySqlConnection db, ConnectionDetails connection, CancellationToken ct)
    {
        await using var command = Command(db, connection, "SELECT CURRENT_USER()");
        var current = (string)(await command.ExecuteScalarAsync(ct))!;
        var at = current.LastIndexOf('@');
        return at < 0 ? new Account(current, "%") : new Account(current[..at], current[(at + 1)..]);
    }

    private static string GrantSelect(string schema, Account user) =>
        $"GRANT SELECT, SHOW VIEW ON {MySqlDialect.Quote(schema)}.* TO '{user.User.Replace("'", "''")}'@'{user.Host.Replace("'", "''")}';";

    /// <summary>
    /// MySQL hides the databases a user holds no privilege on, so a missing one and a forbidden one look alike: say both.
    /// </summary>
    private static ConnectorException MissingSchema(ConnectionDetails connection, string schema, Account user) =>
        new(ConnectorFailure.SchemaMissing,
            $"Schema '{schema}' does not exist on {Server(connection)}, or user {user.Display} holds no privilege on it. "
            + $"Check the datastore's schema (the database's name; case-sensitive on most servers); if it exists, grant: {GrantSelect(schema, user)}");

    internal static string Server(ConnectionDetails connection) => $"{connection.Host}:{connection.Port ?? DefaultPort}";

    private static MySqlCommand Command(MySqlConnection db, ConnectionDetails connection, string sql) =>
        new(sql, db) { CommandTimeout = connection.IntParameter("command_timeout") ?? DefaultCommandTimeout };

    /// <summary>
    /// Opens a connection (in <paramref name="schema"/>, when given), runs <paramref name="work"/> and maps failures; an
    /// abort stops waiting at once, and the driver kills a query that is running when it is cancelled.
    /// </summary>
    internal static async Task<T> RunAsync<T>(ConnectionDetails connection, Func<MySqlConnection, Task<T>> work, CancellationToken ct, string? schema = null)
    {
        try
        {
            var connectionString = ConnectionString(connection, schema);
            return await Abandonable.RunAsync(async () =>
            {
                await using var db = new MySqlConnection(connectionString);
                await db.OpenAsync(ct);
                return await work(db);
            }, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Cancelling makes the driver fail in its own ways (a timeout, a broken connection): it is still the cancellation.
            throw new OperationCanceledException("Cancelled while talking to MySQL.", e, ct);
        }
        catch (Exception e) when (e is MySqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw await MySqlFailures.MapAsync(e, connection);
        }
    }

    internal static string ConnectionString(ConnectionDetails connection, string? schema = null) => new MySqlConnectionStringBuilder
    {
        Server = connection.Host,
        Database = schema ?? "",
        Port = (uint)(connection.Port ?? DefaultPort),
        UserID = connection.Username,
        Password = connection.Password,
        ConnectionTimeout = (uint)(connection.IntParameter("connect_timeout") ?? DefaultConnectTimeout),
        DefaultCommandTimeout = (uint)(connection.IntParameter("command_timeout") ?? DefaultCommandTimeout),
        ApplicationName = "quarry",
        MaximumPoolSize = 10,
        // Without TLS configured, MySQL 8 asks for the server's RSA key to send a password: allowed, as a client does by default.
        AllowPublicKeyRetrieval = true,
        SslMode = connection.Parameters.TryGetValue("sslmode", out var ssl) && Enum.TryParse<MySqlSslMode>(ssl.Replace("-", ""), true, out var mode)
            ? mode : MySqlSslMode.Preferred,
    }.ConnectionString;
}
