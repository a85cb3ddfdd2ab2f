using Quarry.Server.Connections;
using Quarry.Server.Connectors;
using Quarry.Server.Connectors.PostgreSql;

namespace Quarry.Tests.Connectors;

/// <summary>The connector contract against the throwaway PostgreSQL that test.sh starts, plus PostgreSQL's own failures.</summary>
public sealed class PostgreSqlConnectorTests : ConnectorContractTests
{
    private readonly PostgreSqlConnector _postgres = new();
    private string _source = null!;

    protected override IConnector Connector => _postgres;
    protected override string? Catalog => Details.Database;
    protected override string SourceSchema => "sales";
    protected override string OtherSchema => "Archive";
    protected override IReadOnlyList<string> ExpectedSchemas => ["Archive", "public", "sales"];
    protected override IReadOnlyList<string> HiddenCatalogs => ["template0", "template1"];

    // Materialized views and partitioned tables are containers; a partitioned table's partitions are not.
    protected override IReadOnlyList<string> ExpectedContainers =>
        ["Order Items:table", "balances:materialized_view", "café:table", "customer_names:view", "customers:table", "events:partitioned_table"];

    protected override IReadOnlyList<string> ExpectedCustomerFields =>
        ["1 id integer NOT NULL", "2 name text NOT NULL", "3 email character varying(200) NULL", "4 balance numeric(12,2) NULL"];

    protected override IReadOnlyList<string> ExpectedCafeFields => ["crème", "brûlée"];
    protected override IReadOnlyList<string> ExpectedOtherContainers => ["Old Orders: id, Total"];

    protected override async Task<ConnectionDetails> CreateSourceAsync()
    {
        _source = await SourceDatabases.CreatePostgresAsync();
        return SourceDatabases.PostgresDetails(_source);
    }

    protected override Task DropSourceAsync() => TestPostgres.DropDatabaseAsync(_source);

    protected override Task CreateContainerAsync(string name, string field) =>
        TestPostgres.ExecuteAsync($"CREATE TABLE sales.{_postgres.Dialect.QuoteIdentifier(name)} ({_postgres.Dialect.QuoteIdentifier(field)} text)", _source);

    // PostgreSQL allows at most 1,600 columns in a table.
    protected override int WidestContainer => 1600;

    protected override Task CreateWideContainerAsync(string name, int columns) =>
        TestPostgres.ExecuteAsync($"CREATE TABLE sales.{_postgres.Dialect.QuoteIdentifier(name)} ({WideColumnDefinitions(columns, "integer")})", _source);

    protected override async Task<(ConnectionDetails Details, string Schema)> CreateEmptySchemaAsync()
    {
        await TestPostgres.ExecuteAsync("CREATE SCHEMA empty_one", _source);
        return (Details, "empty_one");
    }

    protected override async Task<ConnectionDetails?> WrongCredentialsAsync()
    {
        var (user, password) = await SourceDatabases.CreatePasswordUserAsync();
        return SourceDatabases.PostgresDetails(_source, user, password + "-wrong");
    }

    protected override Task<StalledSource> StallAsync() => Task.FromResult(SilentServerStall());

    [Fact]
    public async Task PostgresFailuresSayWhatToFixWithoutThePassword()
    {
        var (user, password) = await SourceDatabases.CreatePasswordUserAsync();
        var admin = TestPostgres.AdminConnectionString;

        var wrong = SourceDatabases.PostgresDetails(admin, user, password + "-wrong") with { Database = "postgres" };
        var auth = await Assert.ThrowsAsync<ConnectorException>(() => _postgres.TestAsync(wrong, null, default));
        Assert.Equal(ConnectorFailure.AuthenticationFailed, auth.Failure);
        Assert.Contains("username and password", auth.Message);
        Assert.DoesNotContain(password, auth.Message);

        var right = SourceDatabases.PostgresDetails(admin, user, password) with { Database = "postgres" };
        await _postgres.TestAsync(right, null, default);

        var missingDb = await Assert.ThrowsAsync<ConnectorException>(() => _postgres.TestAsync(right, "no_such_database", default));
        Assert.Equal(ConnectorFailure.CatalogMissing, missingDb.Failure);
        Assert.Contains("'no_such_database' does not exist", missingDb.Message);

        var closed = SourceDatabases.PostgresDetails(admin, user, password, SourceDatabases.ClosedPort());
        var unreachable = await Assert.ThrowsAsync<ConnectorException>(() => _postgres.TestAsync(closed, null, default));
        Assert.Equal(ConnectorFailure.Unreachable, unreachable.Failure);
        Assert.Contains("connection refused", unreachable.Message);
        Assert.DoesNotContain(password, unreachable.Message);
    }
}
