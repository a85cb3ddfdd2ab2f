using Quarry.Server.Connections;
using Quarry.Server.Connectors;
using Quarry.Server.Connectors.Sqlite;

namespace Quarry.Tests.Connectors;

/// <summary>The connector contract against real SQLite files (a main file and one attached as <c>archive</c>), read-only.</summary>
public sealed class SqliteConnectorTests : ConnectorContractTests
{
    private readonly SqliteConnector _sqlite = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("quarry-sqlite-source-").FullName;

    protected override IConnector Connector => _sqlite;
    protected override string SourceSchema => "main";
    protected override string OtherSchema => "archive";
    protected override IReadOnlyList<string> ExpectedSchemas => ["main", "archive"];
    protected override IReadOnlyList<string> ExpectedContainers => ["Order Items:table", "café:table", "customer_names:view", "customers:table"];
    protected override IReadOnlyList<string> ExpectedCustomerFields => ["1 id INTEGER NULL", "2 name TEXT NOT NULL", "3 email TEXT NULL"];
    protected override IReadOnlyList<string> ExpectedCafeFields => ["crème"];
    protected override IReadOnlyList<string> ExpectedOtherContainers => ["old_orders: id, total"];

    protected override async Task<ConnectionDetails> CreateSourceAsync()
    {
        var (main, archive) = await SourceDatabases.CreateSqliteAsync(_folder);
        return new ConnectionDetails(SqliteConnector.TypeName, null, null, null, null, null, main,
            new Dictionary<string, string> { ["attach"] = $"{{\"archive\": {System.Text.Json.JsonSerializer.Serialize(archive)}}}" });
    }

    protected override Task CreateContainerAsync(string name, string field) =>
        SourceDatabases.ExecuteSqliteAsync(Details.Path!, $"CREATE TABLE {_sqlite.Dialect.QuoteIdentifier(name)} ({_sqlite.Dialect.QuoteIdentifier(field)} TEXT)");

    // SQLite allows 2,000 columns in a table unless it is compiled with another SQLITE_MAX_COLUMN.
    protected override int WidestContainer => 2000;

    protected override Task CreateWideContainerAsync(string name, int columns) =>
        SourceDatabases.ExecuteSqliteAsync(Details.Path!, $"CREATE TABLE {_sqlite.Dialect.QuoteIdentifier(name)} ({WideColumnDefinitions(columns, "INTEGER")})");

    protected override async Task<(ConnectionDetails Details, string Schema)> CreateEmptySchemaAsync()
    {
        var empty = Path.Combine(_folder, "empty.db");
        await SourceDatabases.ExecuteSqliteAsync(empty, "PRAGMA user_version = 1");
        return (Details with { Path = empty, Parameters = new Dictionary<string, string>() }, "main");
    }

    protected override async Task<StalledSource> StallAsync()
    {
        // A writer's exclusive lock, held far longer than the test waits: every reader waits on the file.
        var locker = await SourceDatabases.LockSqliteAsync(Details.Path!);
        var details = Details with { Parameters = new Dictionary<string, string>(Details.Parameters) { ["command_timeout"] = "600" } };
        return new StalledSource(details, null, SourceSchema, () => true, locker.DisposeAsync);
    }

    protected override Task DropSourceAsync()
    {
        Directory.Delete(_folder, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SqliteListsMainFirstThenAttachedSchemasInAttachOrder()
    {
        Assert.Equal(["main", "archive"], await _sqlite.ListSchemasAsync(Details, null, default));
    }

    [Fact]
    public async Task SqliteReportsAMissingFileWithoutCreatingIt()
    {
        var missing = Path.Combine(_folder, "missing.db");
        var failure = await Assert.ThrowsAsync<ConnectorException>(() => _sqlite.TestAsync(Details with { Path = missing }, null, default));
        Assert.Contains("does not exist", failure.Message);
        Assert.False(File.Exists(missing));
    }
}
