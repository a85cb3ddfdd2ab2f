using Quarry.Server.Connections;
using Quarry.Server.Connectors;
using Quarry.Server.Connectors.PostgreSql;
using Quarry.Server.Connectors.Sqlite;
using Quarry.Tests.Support;

namespace Quarry.Tests.Sync;

public sealed class ConnectorTests
{
    private readonly PostgreSqlConnector _postgres = new();
    private readonly SqliteConnector _sqlite = new();

    [Fact]
    public async Task PostgresReadsEveryContainerKindWithAwkwardNamesButNotPartitions()
    {
        var source = await SourceDatabases.CreatePostgresAsync();
        try
        {
            var details = SourceDatabases.PostgresDetails(source);
            var containers = await _postgres.ReadContainersAsync(details, null, "sales", default);

            Assert.Equal(
                ["Order Items:table", "balances:materialized_view", "café:table", "customer_names:view", "customers:table", "events:partitioned_table"],
                containers.Select(c => $"{c.Name}:{c.Type}").Order(StringComparer.Ordinal));
            var customers = containers.Single(c => c.Name == "customers");
            Assert.Equal(
                ["1 id integer NOT NULL", "2 name text NOT NULL", "3 email character varying(200) NULL", "4 balance numeric(12,2) NULL"],
                customers.Fields.Select(f => $"{f.Ordinal} {f.Name} {f.DataType} {(f.Nullable ? "NULL" : "NOT NULL")}"));
            Assert.Equal(["Item ID", "Quantity", "price"], containers.Single(c => c.Name == "Order Items").Fields.Select(f => f.Name));
            Assert.Equal(["crème", "brûlée"], containers.Single(c => c.Name == "café").Fields.Select(f => f.Name));

            var archive = await _postgres.ReadContainersAsync(details, null, "Archive", default);
            Assert.Equal(["Old Orders"], archive.Select(c => c.Name));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(source);
        }
    }

    [Fact]
    public async Task PostgresListsDatabasesWithoutTemplatesAndSchemasWithoutSystemOnes()
    {
        var source = await SourceDatabases.CreatePostgresAsync();
        try
        {
            var details = SourceDatabases.PostgresDetails(source);
            var database = new Npgsql.NpgsqlConnectionStringBuilder(source).Database!;

            var catalogs = await _postgres.ListCatalogsAsync(details, default);
            Assert.Contains(database, catalogs);
            Assert.DoesNotContain("template0", catalogs);
            Assert.DoesNotContain("template1", catalogs);

            var schemas = await _postgres.ListSchemasAsync(details, database, default);
            Assert.Equal(["Archive", "public", "sales"], schemas.Order(StringComparer.Ordinal));

            Assert.True((await _postgres.CheckSchemaAsync(details, database, "sales", default)).Ok);
            var missing = await _postgres.CheckSchemaAsync(details, database, "nope", default);
            Assert.False(missing.Ok);
            Assert.Contains("'nope' does not exist", missing.Message);
            var failure = await Assert.ThrowsAsync<ConnectorException>(() => _postgres.ReadContainersAsync(details, null, "nope", default));
            Assert.Equal(ConnectorFailure.SchemaMissing, failure.Failure);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(source);
        }
    }

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

    [Fact]
    public async Task SqliteReadsMainAndAttachedSchemasReadOnly()
    {
        var folder = Directory.CreateTempSubdirectory("quarry-sqlite-source-").FullName;
        try
        {
            var (main, archive) = await SourceDatabases.CreateSqliteAsync(folder);
            var details = new ConnectionDetails("sqlite", null, null, null, null, null, main,
                new Dictionary<string, string> { ["attach"] = $"{{\"archive\": {System.Text.Json.JsonSerializer.Serialize(archive)}}}" });

            Assert.Equal(["main", "archive"], await _sqlite.ListSchemasAsync(details, null, default));
            var containers = await _sqlite.ReadContainersAsync(details, null, "main", default);
            Assert.Equal(["Order Items:table", "café:table", "customer_names:view", "customers:table"],
                containers.Select(c => $"{c.Name}:{c.Type}").Order(StringComparer.Ordinal));
            Assert.Equal(["1 id INTEGER NULL", "2 name TEXT NOT NULL", "3 email TEXT NULL"],
                containers.Single(c => c.Name == "customers").Fields.Select(f => $"{f.Ordinal} {f.Name} {f.DataType} {(f.Nullable ? "NULL" : "NOT NULL")}"));
            var old = await _sqlite.ReadContainersAsync(details, null, "archive", default);
            Assert.Equal(["id", "total"], old.Single().Fields.Select(f => f.Name));

            var missing = Path.Combine(folder, "missing.db");
            var failure = await Assert.ThrowsAsync<ConnectorException>(() => _sqlite.TestAsync(details with { Path = missing }, null, default));
            Assert.Contains("does not exist", failure.Message);
            Assert.False(File.Exists(missing));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
