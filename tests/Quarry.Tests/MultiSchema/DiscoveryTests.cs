namespace Quarry.Tests.MultiSchema;

/// <summary>
/// Discovery and validation against a real PostgreSQL source, on both Quarry stores. The tests share one server per
/// store: each has its own source and its own manager, connection and datastore names; the one that counts every
/// connection starts its own.
/// </summary>
public sealed class DiscoveryTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    private async Task<(QuarryTestServer Server, HttpClient Manager)> ManagerAsync(StoreKind kind, string user)
    {
        var server = await servers.For(kind);
        return (server, await ManagerOf(server, user));
    }

    private static async Task<HttpClient> ManagerOf(QuarryTestServer server, string user)
    {
        var (_, token) = await server.CreateUserAsync(user, Role.Manager);
        return server.Client(token);
    }

    /// <summary>A connection <c>{prefix}-warehouse</c> to the source and a datastore <c>{prefix}-people</c> over its hr schema: the connection's id.</summary>
    private static async Task<int> WarehouseWithPeopleAsync(HttpClient manager, DiscoverySource source, string prefix)
    {
        var connectionId = (await manager.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/connections", source.ConnectionBody($"{prefix}-warehouse"))).GetProperty("id").GetInt32();
        await manager.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/datastores", new { name = $"{prefix}-people", connection_id = connectionId, database = source.Sales, schema = "hr" });
        return connectionId;
    }

    private static Dictionary<string, List<string>> ByName(JsonElement list) =>
        list.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!,
            e => e.GetProperty("existing_datastores").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList());

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task CatalogsAndSchemasShowWhichAlreadyHaveADatastore(StoreKind kind)
    {
        await using var source = await DiscoverySource.CreateAsync();
        var (_, manager) = await ManagerAsync(kind, "lister");
        var connectionId = await WarehouseWithPeopleAsync(manager, source, "listed");

        var catalogs = ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{connectionId}/catalogs"));
        Assert.Equal(["listed-people"], catalogs[source.Sales]);
        Assert.Empty(catalogs[source.Archive]);
        Assert.DoesNotContain("template0", catalogs.Keys);
        Assert.DoesNotContain("template1", catalogs.Keys);

        var schemas = ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{connectionId}/schemas?catalog={source.Sales}"));
        Assert.Superset(new HashSet<string>(["hr", "sales_eu", "sales_us", "restricted", "public"]), schemas.Keys.ToHashSet());
        Assert.DoesNotContain("pg_catalog", schemas.Keys);
        Assert.DoesNotContain("information_schema", schemas.Keys);
        Assert.Equal(["listed-people"], schemas["hr"]);
        Assert.Empty(schemas["sales_eu"]);

        var archive = ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{connectionId}/schemas?catalog={source.Archive}"));
        Assert.Contains("y2020", archive.Keys);
        Assert.Empty(archive["y2020"]);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUnsavedConnectionDiscoversCatalogsAndSchemasWithoutBeingSaved(StoreKind kind)
    {
        await using var source = await DiscoverySource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(kind);
        var manager = await ManagerOf(server, "onboarder");

        var catalogs = ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/connections/catalogs", source.ConnectionBody("draft")));
        var schemas = ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/connections/schemas?catalog={source.Archive}", source.ConnectionBody("draft")));

        Assert.Contains(source.Sales, catalogs.Keys);
        Assert.Contains("y2020", schemas.Keys);
        Assert.Equal(0, (await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/connections")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ValidationReportsEachSchemaOnItsOwnWithoutRevealingThePassword(StoreKind kind)
    {
        await using var source = await DiscoverySource.CreateAsync();
        var (server, manager) = await ManagerAsync(kind, "validator");
        var connectionId = await WarehouseWithPeopleAsync(manager, source, "validated");

        var response = await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/connections/{connectionId}/datastores/validate",
            new { catalog = source.Sales, schemas = new[] { "sales_eu", "restricted", "no_such_schema", "hr" } });

        var results = response.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("schema_name").GetString()!);
        Assert.Equal(["sales_eu", "restricted", "no_such_schema", "hr"], results.Keys);
        Assert.Equal("ok", results["sales_eu"].GetProperty("status").GetString());
        Assert.Equal("error", results["restricted"].GetProperty("status").GetString());
        Assert.Contains("may not use schema 'restricted'", results["restricted"].GetProperty("message").GetString());
        Assert.Equal("error", results["no_such_schema"].GetProperty("status").GetString());
        Assert.Contains("does not exist", results["no_such_schema"].GetProperty("message").GetString());
        Assert.Equal("ok", results["hr"].GetProperty("status").GetString());
        Assert.Contains("validated-people", results["hr"].GetProperty("message").GetString());

        Assert.DoesNotContain(source.Password, response.GetRawText());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(source.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(source.Password, System.Text.Encoding.UTF8.GetString(await server.ReadStoreBytesAsync()));
    }

    [Fact]
    public async Task ASchemaWhoseTablesTheUserMayNotReadFailsValidationWithTheGrantToRun()
    {
        await using var source = await DiscoverySource.CreateAsync();
        // USAGE alone lists the tables; a check reading them would fail.
        await TestPostgres.ExecuteAsync($"""
            CREATE SCHEMA locked; CREATE TABLE locked.accounts (id int); CREATE TABLE locked.ledger (id int);
            CREATE SCHEMA partly; CREATE TABLE partly.open_data (id int); CREATE TABLE partly.hidden (id int);
            GRANT USAGE ON SCHEMA locked, partly TO {source.Role}; GRANT SELECT ON partly.open_data TO {source.Role};
            """, TestPostgres.ConnectionStringFor(source.Sales));
        var (_, manager) = await ManagerAsync(StoreKind.Sqlite, "grant-reader");

        var response = await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/connections/datastores/validate",
            new { connection = source.ConnectionBody("draft"), catalog = source.Sales, schemas = new[] { "locked", "partly" } });

        var results = response.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("schema_name").GetString()!);
        Assert.Equal("error", results["locked"].GetProperty("status").GetString());
        Assert.Contains($"may not read any of its 2 tables and views. Grant it: GRANT SELECT ON ALL TABLES IN SCHEMA \"locked\" TO \"{source.Role}\";", results["locked"].GetProperty("message").GetString());
        Assert.Equal("ok", results["partly"].GetProperty("status").GetString());
        Assert.Contains("1 of its 2 containers are readable", results["partly"].GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnUnsavedConnectionCanBeTestedSchemaBySchema()
    {
        await using var source = await DiscoverySource.CreateAsync();
        var (_, manager) = await ManagerAsync(StoreKind.Sqlite, "schema-tester");

        var response = await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/connections/datastores/validate",
            new { connection = source.ConnectionBody("draft"), catalog = source.Sales, schemas = new[] { "sales_us", "restricted" } });

        Assert.Equal(["ok", "error"], response.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task DiscoveryOfAnUnreachableDatabaseSaysWhy()
    {
        var (_, manager) = await ManagerAsync(StoreKind.Sqlite, "explorer");
        var connectionId = (await manager.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/connections",
            new { name = "nowhere", type = "postgresql", host = "127.0.0.1", port = 1, username = "x", password = "Unreach-pw", database = "db" })).GetProperty("id").GetInt32();

        var problem = await manager.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/connections/{connectionId}/catalogs");

        Assert.Contains("Unreachable", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("Unreach-pw", problem.GetRawText());
    }

    [Fact]
    public async Task ASqliteConnectionListsItsSchemasWithoutACatalogLevel()
    {
        var (server, manager) = await ManagerAsync(StoreKind.Sqlite, "sqlite-lister");
        var path = Path.Combine(server.DataDirectory, "discovered-source.db");
        await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "CREATE TABLE t (id INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        var connectionId = (await manager.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/connections", new { name = "local", type = "sqlite", path })).GetProperty("id").GetInt32();

        Assert.Empty((await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{connectionId}/catalogs")).EnumerateArray());
        Assert.Contains("main", ByName(await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{connectionId}/schemas")).Keys);
        var result = await manager.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/connections/{connectionId}/datastores/bulk",
            new { schemas = new[] { "main" }, name_template = "local_{{ schema }}", teams = new[] { "Public" } });
        Assert.Single(result.GetProperty("created").EnumerateArray());
    }
}
