using Npgsql;

namespace Quarry.Tests.Support;

/// <summary>A PostgreSQL source database made for one test, dropped when the test is done with it.</summary>
public sealed class PostgresSource(string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public string Database => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    /// <summary>The database of <see cref="SourceDatabases.CreatePostgresAsync"/>: schemas <c>sales</c> and <c>"Archive"</c>.</summary>
    public static async Task<PostgresSource> CreateAsync() => new(await SourceDatabases.CreatePostgresAsync());

    /// <summary>A connection to this database, made through the API: its id.</summary>
    public Task<int> ConnectAsync(HttpClient client, string name = "source", string? username = null, string? password = null) =>
        SyncApi.CreateConnectionAsync(client, SourceDatabases.PostgresConnection(name, ConnectionString, username, password));

    /// <summary>A datastore over <paramref name="schema"/> of this database: its id.</summary>
    public Task<int> CreateDatastoreAsync(HttpClient client, int connection, string name, string schema) =>
        SyncApi.CreateDatastoreAsync(client, connection, name, Database, schema);

    public Task ExecuteAsync(string sql) => TestPostgres.ExecuteAsync(sql, ConnectionString);

    public async ValueTask DisposeAsync() => await TestPostgres.DropDatabaseAsync(ConnectionString);
}

/// <summary>
/// The SQLite shop of <see cref="SourceDatabases.CreateSqliteAsync"/> (<see cref="Main"/> and <see cref="Archive"/>) in a
/// folder of its own, deleted when the test is done with it.
/// </summary>
public sealed class SqliteShop : IDisposable
{
    private SqliteShop(string folder, string main, string archive) => (Folder, Main, Archive) = (folder, main, archive);

    public string Folder { get; }
    public string Main { get; }
    public string Archive { get; }

    public static async Task<SqliteShop> CreateAsync(string folderPrefix = "quarry-sqlite-source-")
    {
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        try
        {
            var (main, archive) = await SourceDatabases.CreateSqliteAsync(folder);
            return new SqliteShop(folder, main, archive);
        }
        catch
        {
            Directory.Delete(folder, true);
            throw;
        }
    }

    /// <summary>A connection <paramref name="name"/> to the main file, made through the API: its id.</summary>
    public Task<int> ConnectAsync(HttpClient client, string name = "shop") =>
        SyncApi.CreateConnectionAsync(client, new { name, type = "sqlite", path = Main });

    /// <summary>A connection and a datastore, both named <paramref name="name"/>, over the main schema: the datastore's id.</summary>
    public async Task<int> CreateDatastoreAsync(HttpClient client, string name = "shop") =>
        await SyncApi.CreateDatastoreAsync(client, await ConnectAsync(client, name), name, null, "main");

    public void Dispose() => Directory.Delete(Folder, true);
}
