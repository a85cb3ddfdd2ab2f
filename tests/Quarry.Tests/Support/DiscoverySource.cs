using Npgsql;

namespace Quarry.Tests.Support;

/// <summary>
/// A real PostgreSQL source for discovery: two databases, several schemas with tables, and a login role that
/// may read every schema but <c>restricted</c> (USAGE revoked). Connections made from it log in as that role.
/// </summary>
public sealed class DiscoverySource : IAsyncDisposable
{
    public static readonly string[] ReadableSchemas = ["hr", "sales_eu", "sales_us"];

    private DiscoverySource(string sales, string archive, string role, string password)
    {
        Sales = sales;
        Archive = archive;
        Role = role;
        Password = password;
    }

    public string Sales { get; }
    public string Archive { get; }
    public string Role { get; }
    public string Password { get; }
    public string Host => TestPostgres.Builder.Host!;
    public int Port => TestPostgres.Builder.Port;

    public static async Task<DiscoverySource> CreateAsync()
    {
        var sales = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("ms_sales")).Database!;
        var archive = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("ms_archive")).Database!;
        var role = $"ms_reader_{Guid.NewGuid():N}"[..24];
        var password = $"Rd-{Guid.NewGuid():N}";
        await TestPostgres.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        await TestPostgres.ExecuteAsync($"""
            CREATE SCHEMA hr; CREATE TABLE hr.employees (id int PRIMARY KEY, name text);
            CREATE SCHEMA sales_eu; CREATE TABLE sales_eu.orders (id int, total numeric); CREATE VIEW sales_eu.big_orders AS SELECT * FROM sales_eu.orders WHERE total > 100;
            CREATE SCHEMA sales_us; CREATE TABLE sales_us.orders (id int, total numeric);
            CREATE SCHEMA restricted; CREATE TABLE restricted.salaries (id int, amount numeric);
            GRANT USAGE ON SCHEMA hr, sales_eu, sales_us TO {role};
            GRANT SELECT ON ALL TABLES IN SCHEMA hr, sales_eu, sales_us TO {role};
            REVOKE ALL ON SCHEMA restricted FROM PUBLIC, {role};
            """, TestPostgres.ConnectionStringFor(sales));
        await TestPostgres.ExecuteAsync("CREATE SCHEMA y2020; CREATE TABLE y2020.orders (id int);", TestPostgres.ConnectionStringFor(archive));
        return new DiscoverySource(sales, archive, role, password);
    }

    /// <summary>The body of POST /api/connections for this source, logging in as the restricted role.</summary>
    public object ConnectionBody(string name) =>
        new { name, type = "postgresql", host = Host, port = Port, username = Role, password = Password, database = Sales };

    public async ValueTask DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(TestPostgres.ConnectionStringFor(Sales));
        await TestPostgres.DropDatabaseAsync(TestPostgres.ConnectionStringFor(Archive));
        await TestPostgres.ExecuteAsync($"DROP ROLE IF EXISTS {Role}");
    }
}
