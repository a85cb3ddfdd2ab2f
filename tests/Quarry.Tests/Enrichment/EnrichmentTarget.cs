using Microsoft.Data.Sqlite;
using Npgsql;

namespace Quarry.Tests.Enrichment;

/// <summary>Where an enrichment datastore keeps its tables in a test: a SQLite file, a schema of a real PostgreSQL or MariaDB database, or a folder of Parquet files.</summary>
public enum EnrichmentKind
{
    Sqlite,
    PostgreSql,
    MySql,
    Files,
}

public sealed class BothEnrichmentKinds : TheoryData<EnrichmentKind>
{
    public BothEnrichmentKinds()
    {
        Add(EnrichmentKind.Sqlite);
        Add(EnrichmentKind.PostgreSql);
        Add(EnrichmentKind.MySql);
        Add(EnrichmentKind.Files);
    }
}

/// <summary>
/// An enrichment datastore on a real SQLite file, a real PostgreSQL or MariaDB schema or a real folder (each named with
/// a space, so quoting matters), created through a server's API, and a way to read the tables a scan wrote into it.
/// </summary>
public sealed class EnrichmentTarget : IAsyncDisposable
{
    public const string PostgresSchema = "Quality Results";
    public const string FilesSchema = "quality results";

    private readonly string _folder = Directory.CreateTempSubdirectory("quarry-enrichment-").FullName;

    private EnrichmentTarget(EnrichmentKind kind) => Kind = kind;

    public EnrichmentKind Kind { get; }
    public int DatastoreId { get; private set; }
    public string? SqlitePath { get; private set; }
    public string? PostgresConnectionString { get; private set; }

    /// <summary>A files target: the sub-folder (the datastore's schema) that holds a folder of Parquet files per table.</summary>
    public string? FilesFolder { get; private set; }

    /// <summary>A MySQL target: its database (schema, named with a space) on the test MariaDB and the login that writes it.</summary>
    public (string Schema, string User, string Password)? MySql { get; private set; }

    /// <summary>Creates it in <paramref name="server"/>; on PostgreSQL its connection logs in as <paramref name="login"/> when given (else the cluster's superuser).</summary>
    public static async Task<EnrichmentTarget> CreateAsync(QuarryTestServer server, EnrichmentKind kind, (string User, string Password)? login = null)
    {
        var target = new EnrichmentTarget(kind);
        object connection;
        string schema;
        if (kind == EnrichmentKind.Sqlite)
        {
            target.SqlitePath = Path.Combine(target._folder, "enrichment.db");
            await SourceDatabases.ExecuteSqliteAsync(target.SqlitePath, "PRAGMA user_version = 1");
            (connection, schema) = (new { name = "results-db", type = "sqlite", path = target.SqlitePath }, "main");
        }
        else if (kind == EnrichmentKind.MySql)
        {
            var schema0 = $"Quality Results {Guid.NewGuid():N}"[..26];
            var (user, password) = await TestMariaDb.CreateUserAsync();
            await TestMariaDb.ExecuteAsync($"CREATE DATABASE {TestMariaDb.Quote(schema0)}; GRANT SELECT, INSERT, DELETE, CREATE, DROP, ALTER ON {TestMariaDb.Quote(schema0)}.* TO '{user}'@'127.0.0.1';");
            target.MySql = (schema0, user, password);
            (connection, schema) = (TestMariaDb.Connection("results-db", user, password), schema0);
        }
        else if (kind == EnrichmentKind.Files)
        {
            var root = Directory.CreateDirectory(Path.Combine(target._folder, "lake")).FullName;
            target.FilesFolder = Directory.CreateDirectory(Path.Combine(root, FilesSchema)).FullName;
            (connection, schema) = (new { name = "results-lake", type = "files", path = root }, FilesSchema);
        }
        else
        {
            target.PostgresConnectionString = await TestPostgres.CreateDatabaseAsync("quarry_enrichment");
            await TestPostgres.ExecuteAsync($"CREATE SCHEMA \"{PostgresSchema}\"", target.PostgresConnectionString);
            if (login is { } l) await TestPostgres.ExecuteAsync($"GRANT USAGE ON SCHEMA \"{PostgresSchema}\" TO {l.User}", target.PostgresConnectionString);
            (connection, schema) = (SourceDatabases.PostgresConnection("results-db", target.PostgresConnectionString, login?.User, login?.Password), PostgresSchema);
        }
        var connectionId = await server.Admin.CreateIdAsync("/api/connections", connection);
        target.DatastoreId = await server.Admin.CreateIdAsync("/api/datastores", new
        {
            name = "results", connection_id = connectionId, schema, enrichment_only = true,
            database = kind == EnrichmentKind.PostgreSql ? new NpgsqlConnectionStringBuilder(target.PostgresConnectionString).Database : null,
        });
        return target;
    }

    /// <summary>Every row of an enrichment table, as column → value, ordered by <paramref name="orderBy"/>; null when the table does not exist.</summary>
    public async Task<List<Dictionary<string, object?>>?> RowsAsync(string table, string orderBy = "1")
    {
        if (Kind == EnrichmentKind.Sqlite)
        {
            await using var db = new SqliteConnection($"Data Source={SqlitePath};Pooling=False");
            await db.OpenAsync();
            await using var exists = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE name = @name", db);
            exists.Parameters.AddWithValue("@name", table);
            if ((long)(await exists.ExecuteScalarAsync())! == 0) return null;
            return await ReadAsync(new SqliteCommand($"SELECT * FROM main.\"{table}\" ORDER BY {orderBy}", db));
        }
        if (FilesFolder is not null) return ParquetRows(table, orderBy);
        if (MySql is { } my)
        {
            var db = new MySqlConnector.MySqlConnection(new MySqlConnector.MySqlConnectionStringBuilder(TestMariaDb.AdminConnectionString) { Database = my.Schema }.ConnectionString);
            await db.OpenAsync();
            await using var _ = db;
            await using var exists = new MySqlConnector.MySqlCommand("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table", db);
            exists.Parameters.AddWithValue("@schema", my.Schema);
            exists.Parameters.AddWithValue("@table", table);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync()) == 0) return null;
            return await ReadAsync(new MySqlConnector.MySqlCommand($"SELECT * FROM {TestMariaDb.Quote(table)} ORDER BY {orderBy}", db));
        }
        await using var pg = new NpgsqlConnection(PostgresConnectionString);
        await pg.OpenAsync();
        await using var found = new NpgsqlCommand("SELECT to_regclass(format('%I.%I', @schema, @table)) IS NOT NULL", pg);
        found.Parameters.AddWithValue("schema", PostgresSchema);
        found.Parameters.AddWithValue("table", table);
        if (!(bool)(await found.ExecuteScalarAsync())!) return null;
        return await ReadAsync(new NpgsqlCommand($"SELECT * FROM \"{PostgresSchema}\".\"{table}\" ORDER BY {orderBy}", pg));
    }

    /// <summary>
    /// Every row of the Parquet files of a table's folder, read back with DuckDB as a person would; null when the
    /// folder does not exist.
    /// </summary>
    private List<Dictionary<string, object?>>? ParquetRows(string table, string orderBy)
    {
        var folder = Path.Combine(FilesFolder!, table);
        if (!Directory.Exists(folder)) return null;
        var files = Directory.GetFiles(folder, "*.parquet");
        if (files.Length == 0) return [];
        using var db = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet($files) ORDER BY {orderBy}";
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("files", files.ToList()));
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    /// <summary>Makes a table named <paramref name="table"/> with other columns (operation_id, note), as another tool might have.</summary>
    public async Task CreateTableOfAnotherShapeAsync(string table)
    {
        if (FilesFolder is null)
        {
            await ExecuteAsync($"CREATE TABLE {Qualified(table)} (operation_id bigint, note text)");
            return;
        }
        var folder = Directory.CreateDirectory(Path.Combine(FilesFolder, table)).FullName;
        FilesSource.WriteParquet(Path.Combine(folder, "part-0.parquet"), "SELECT 1::BIGINT AS operation_id, 'x' AS note WHERE false");
    }

    /// <summary>Runs SQL in the enrichment datastore (to prepare a table in its way).</summary>
    public async Task ExecuteAsync(string sql)
    {
        if (Kind == EnrichmentKind.Sqlite) await SourceDatabases.ExecuteSqliteAsync(SqlitePath!, sql);
        // The tests write identifiers in standard double quotes; MySQL reads them in backticks.
        else if (MySql is { } my) await TestMariaDb.ExecuteAsync(sql.Replace('"', '`'), my.Schema);
        else await TestPostgres.ExecuteAsync(sql, PostgresConnectionString);
    }

    /// <summary>The schema-qualified, quoted name of an enrichment table in this world's database.</summary>
    public string Qualified(string table) => Kind switch
    {
        EnrichmentKind.Sqlite => $"main.\"{table}\"",
        EnrichmentKind.MySql => $"\"{MySql!.Value.Schema}\".\"{table}\"",
        _ => $"\"{PostgresSchema}\".\"{table}\"",
    };

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(System.Data.Common.DbCommand command)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync())
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            return rows;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (PostgresConnectionString is not null) await TestPostgres.DropDatabaseAsync(PostgresConnectionString);
        if (MySql is { } my) await TestMariaDb.DropDatabaseAsync(my.Schema, my.User);
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
