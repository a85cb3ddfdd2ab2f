using MySqlConnector;
using Quarry.Server.Connectors;

namespace Quarry.Tests.Support;

/// <summary>
/// The throwaway MariaDB server that ./test.sh starts (QUARRY_TEST_MARIADB). Each source gets its own databases and
/// its own login that sees only them, dropped afterwards, so tests never see each other's schemas.
/// </summary>
public static class TestMariaDb
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("QUARRY_TEST_MARIADB")
        ?? throw new InvalidOperationException("QUARRY_TEST_MARIADB is not set: run the suite with ./test.sh, which starts a throwaway MariaDB.");

    public static MySqlConnectionStringBuilder Builder => new(AdminConnectionString);

    /// <summary>Runs <paramref name="sql"/> as the administrator, in <paramref name="database"/> when given.</summary>
    public static async Task ExecuteAsync(string sql, string? database = null)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(AdminConnectionString) { Database = database ?? "" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static string Quote(string identifier) => "`" + identifier.Replace("`", "``") + "`";

    /// <summary>A login (user@127.0.0.1) with a password and no privilege yet.</summary>
    public static async Task<(string User, string Password)> CreateUserAsync()
    {
        var user = $"u_{Guid.NewGuid():N}"[..16];
        var password = $"S3cret-{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'");
        return (user, password);
    }

    /// <summary>An empty database (a schema, to Quarry) and a login that may read only it.</summary>
    public static async Task<(string Schema, string User, string Password)> CreateReadableDatabaseAsync(string prefix)
    {
        var schema = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 11)];
        var (user, password) = await CreateUserAsync();
        await ExecuteAsync($"CREATE DATABASE {Quote(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; GRANT SELECT, SHOW VIEW ON {Quote(schema)}.* TO '{user}'@'127.0.0.1';");
        return (schema, user, password);
    }

    public static async Task DropDatabaseAsync(string schema, string user)
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(schema)}");
        await DropUserAsync(user);
    }

    public static async Task DropUserAsync(string user) => await ExecuteAsync($"DROP USER IF EXISTS '{user}'@'127.0.0.1'");

    public static ConnectionDetails Details(string user, string password, int? port = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        new("mysql", Builder.Server, port ?? (int)Builder.Port, user, password, null, null, parameters ?? new Dictionary<string, string>());

    /// <summary>The connection body for the API: the test server's MariaDB as <paramref name="user"/>.</summary>
    public static object Connection(string name, string user, string password) =>
        new { name, type = "mysql", host = Builder.Server, port = (int)Builder.Port, username = user, password };
}
