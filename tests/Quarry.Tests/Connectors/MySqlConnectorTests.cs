using Quarry.Server.Connectors;
using Quarry.Server.Connectors.MySql;

namespace Quarry.Tests.Connectors;

/// <summary>The connector contract against the throwaway MariaDB that test.sh starts, plus MySQL's own failures.</summary>
public sealed class MySqlConnectorTests : ConnectorContractTests
{
    private readonly MySqlSourceConnector _mysql = new();
    private MariaDbSource _source = null!;

    protected override IConnector Connector => _mysql;
    protected override string SourceSchema => _source.Sales;
    protected override string OtherSchema => _source.Archive;
    protected override IReadOnlyList<string> ExpectedSchemas => [_source.Archive, _source.Sales];
    protected override IReadOnlyList<string> ExpectedContainers => ["Order Items:table", "café:table", "customer_names:view", "customers:table"];

    protected override IReadOnlyList<string> ExpectedCustomerFields =>
        ["1 id int(11) NOT NULL", "2 name varchar(100) NOT NULL", "3 email varchar(200) NULL", "4 balance decimal(12,2) NULL"];

    protected override IReadOnlyList<string> ExpectedCafeFields => ["crème", "brûlée"];
    protected override IReadOnlyList<string> ExpectedOtherContainers => ["Old Orders: id, Total"];

    protected override async Task<ConnectionDetails> CreateSourceAsync()
    {
        _source = await MariaDbSource.CreateAsync();
        return TestMariaDb.Details(_source.User, _source.Password);
    }

    protected override async Task DropSourceAsync() => await _source.DisposeAsync();

    protected override Task CreateContainerAsync(string name, string field) =>
        TestMariaDb.ExecuteAsync($"CREATE TABLE {TestMariaDb.Quote(_source.Sales)}.{TestMariaDb.Quote(name)} ({TestMariaDb.Quote(field)} text)");

    // MariaDB caps a table at 4,096 columns, and each engine at fewer: InnoDB, the default, at 1,017 (MyISAM and Aria
    // at what fits in a 64 KB table definition, about 2,800 int columns with short names).
    protected override int WidestContainer => 1017;

    protected override Task CreateWideContainerAsync(string name, int columns) =>
        TestMariaDb.ExecuteAsync($"CREATE TABLE {TestMariaDb.Quote(_source.Sales)}.{TestMariaDb.Quote(name)} ({WideColumnDefinitions(columns, "int")}) ENGINE=InnoDB");

    protected override async Task<(ConnectionDetails Details, string Schema)> CreateEmptySchemaAsync()
    {
        var schema = $"empty_{_source.Id}";
        await _source.CreateSchemaAsync(schema);
        return (Details, schema);
    }

    protected override Task<ConnectionDetails?> WrongCredentialsAsync() =>
        Task.FromResult<ConnectionDetails?>(Details with { Password = _source.Password + "-wrong" });

    protected override Task<StalledSource> StallAsync() => Task.FromResult(SilentServerStall());

    [Fact]
    public async Task MySqlSaysWhichGrantIsMissingWhenTheUserSeesTablesItMayNotRead()
    {
        var (user, password) = await TestMariaDb.CreateUserAsync();
        try
        {
            await TestMariaDb.ExecuteAsync($"GRANT INSERT ON {TestMariaDb.Quote(_source.Sales)}.* TO '{user}'@'127.0.0.1'");
            var check = await _mysql.CheckSchemaAsync(TestMariaDb.Details(user, password), null, _source.Sales, default);

            Assert.False(check.Ok);
            Assert.Contains($"may not read any of its", check.Message);
            Assert.Contains($"GRANT SELECT, SHOW VIEW ON `{_source.Sales}`.* TO '{user}'@'127.0.0.1';", check.Message);

            var hidden = await _mysql.CheckSchemaAsync(TestMariaDb.Details(user, password), null, _source.Archive, default);
            Assert.False(hidden.Ok);
            Assert.Contains($"Schema '{_source.Archive}' does not exist", hidden.Message);
            Assert.Contains("or user", hidden.Message);
        }
        finally
        {
            await TestMariaDb.DropUserAsync(user);
        }
    }

    [Fact]
    public async Task MySqlUnreachableServersSayWhatToCheckWithoutThePassword()
    {
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => _mysql.TestAsync(Details with { Port = SourceDatabases.ClosedPort() }, null, default));
        Assert.Equal(ConnectorFailure.Unreachable, refused.Failure);
        Assert.Contains("connection refused", refused.Message);

        var unknown = await Assert.ThrowsAsync<ConnectorException>(() => _mysql.TestAsync(Details with { Host = "no-such-host.invalid" }, null, default));
        Assert.Equal(ConnectorFailure.Unreachable, unknown.Failure);
        Assert.Contains("'no-such-host.invalid' could not be resolved", unknown.Message);

        await using var silent = new SilentServer();
        var slow = Details with { Port = silent.Port, Parameters = new Dictionary<string, string> { ["connect_timeout"] = "1" } };
        var timeout = await Assert.ThrowsAsync<ConnectorException>(() => _mysql.TestAsync(slow, null, default));
        Assert.Equal(ConnectorFailure.Timeout, timeout.Failure);
        Assert.Contains("connect_timeout", timeout.Message);

        foreach (var failure in new[] { refused, unknown, timeout }) Assert.DoesNotContain(_source.Password, failure.Message);
    }
}
