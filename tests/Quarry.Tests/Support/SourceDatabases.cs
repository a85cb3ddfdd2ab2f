using Microsoft.Data.Sqlite;
using Npgsql;
using Quarry.Server.Connections;
using Quarry.Server.Connectors;

namespace Quarry.Tests.Support;

/// <summary>Real source databases for connector and sync tests: every container kind and awkward names.</summary>
public static class SourceDatabases
{
    /// <summary>
    /// A PostgreSQL database with schemas <c>sales</c> (table, view, materialized view, partitioned table with two
    /// partitions, <c>"Order Items"</c>, <c>"café"</c>) and <c>"Archive"</c>, and an empty <c>public</c>.
    /// </summary>
    public static async Task<string> CreatePostgresAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("quarry_source");
        await TestPostgres.ExecuteAsync("""
            CREATE SCHEMA sales;
            CREATE SCHEMA "Archive";
            CREATE TABLE sales.customers (id integer PRIMARY KEY, name text NOT NULL, email varchar(200), balance numeric(12,2));
            CREATE TABLE sales."Order Items" ("Item ID" bigint NOT NULL, "Quantity" integer, price numeric(10,2));
            CREATE TABLE sales."café" ("crème" text, "brûlée" timestamptz NOT NULL);
            CREATE VIEW sales.customer_names AS SELECT id, name FROM sales.customers;
            CREATE MATERIALIZED VIEW sales.balances AS SELECT id, balance FROM sales.customers;
            CREATE TABLE sales.events (id bigint NOT NULL, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
            CREATE TABLE sales.events_2025 PARTITION OF sales.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE sales.events_2026 PARTITION OF sales.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE "Archive"."Old Orders" (id integer, "Total" money);
            """, connectionString);
        return connectionString;
    }

    /// <summary>The connection body for the test PostgreSQL cluster (any password: the cluster trusts loopback).</summary>
    public static object PostgresConnection(string name, string connectionString, string? username = null, string? password = null, int? port = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new { name, type = "postgresql", host = builder.Host, port = port ?? builder.Port, username = username ?? builder.Username, password = password ?? "unused", database = builder.Database };
    }

    public static ConnectionDetails PostgresDetails(string connectionString, string? username = null, string? password = null, int? port = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new ConnectionDetails("postgresql", builder.Host, port ?? builder.Port, username ?? builder.Username, password ?? "unused", builder.Database, null,
            new Dictionary<string, string>());
    }

    /// <summary>A login role that must give its password (test.sh makes members of quarry_password_login use scram).</summary>
    public static async Task<(string User, string Password)> CreatePasswordUserAsync()
    {
        var user = $"pw_{Guid.NewGuid():N}"[..20];
        var password = $"S3cret-{Guid.NewGuid():N}";
        await TestPostgres.ExecuteAsync($"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quarry_password_login') THEN CREATE ROLE quarry_password_login NOLOGIN; END IF;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            CREATE ROLE {user} LOGIN PASSWORD '{password}' IN ROLE quarry_password_login;
            """);
        return (user, password);
    }

    /// <summary>A SQLite file with tables and a view in <c>main</c>, and a second file to attach as <c>archive</c>.</summary>
    public static async Task<(string Main, string Archive)> CreateSqliteAsync(string folder)
    {
        var main = Path.Combine(folder, "shop.db");
        var archive = Path.Combine(folder, "archive.db");
        await ExecuteSqliteAsync(main, """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
            CREATE TABLE "Order Items" ("Item ID" INTEGER NOT NULL, "Quantity" INTEGER, price REAL);
            CREATE TABLE "café" ("crème" TEXT);
            CREATE VIEW customer_names AS SELECT id, name FROM customers;
            """);
        await ExecuteSqliteAsync(archive, "CREATE TABLE old_orders (id INTEGER, total REAL NOT NULL);");
        return (main, archive);
    }

    public static async Task ExecuteSqliteAsync(string path, string sql)
    {
        await using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A connection holding an exclusive lock on a SQLite file until it is disposed: every reader waits.</summary>
    public static async Task<SqliteConnection> LockSqliteAsync(string path)
    {
        var locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await locker.OpenAsync();
        await using var begin = locker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        await begin.ExecuteNonQueryAsync();
        return locker;
    }

    /// <summary>A loopback port where nothing listens.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
