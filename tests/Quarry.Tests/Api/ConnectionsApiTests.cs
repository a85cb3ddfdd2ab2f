namespace Quarry.Tests.Api;

/// <summary>
/// The connections API. The tests share one server per store, each with its own connection names; the one that counts
/// every connection in lists starts its own.
/// </summary>
public sealed class ConnectionsApiTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConnectionsAreCreatedReadUpdatedAndDeleted(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;

        var created = await admin.CreateAsync("/api/connections", new { name = "Crud-Warehouse", type = "Postgres", host = " db.example.com ", username = "reader", database = "analytics" });
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("postgresql", created.GetProperty("type").GetString());
        Assert.Equal(5432, created.GetProperty("port").GetInt32());
        Assert.Equal("db.example.com", created.GetProperty("host").GetString());
        Assert.False(created.GetProperty("password_set").GetBoolean());

        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{id}", new { port = 6432, parameters = new { sslmode = "require" } });
        Assert.Equal(6432, updated.GetProperty("port").GetInt32());
        Assert.Equal("db.example.com", updated.GetProperty("host").GetString());
        Assert.Equal("require", updated.GetProperty("parameters").GetProperty("sslmode").GetString());

        var read = await admin.ReadAsync($"/api/connections/{id}");
        Assert.Equal(6432, read.GetProperty("port").GetInt32());
        Assert.Equal("Crud-Warehouse", read.GetProperty("name").GetString());

        var sqlite = await admin.CreateAsync("/api/connections", new { name = "crud-local", type = "sqlite", path = "/data/app.db" });
        Assert.Equal("/data/app.db", sqlite.GetProperty("path").GetString());

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/connections/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/connections/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"/api/connections/{id}", new { port = 1 });
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/connections/{id}");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task InvalidConnectionsGet400NamingTheField(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var noHost = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", new { name = "x", type = "postgresql", username = "u" });
        Assert.True(noHost.TryGetProperty("errors", out var errors) && errors.TryGetProperty("host", out _), noHost.ToString());
        var badType = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", new { name = "x", type = "oracle" });
        Assert.Contains("postgresql, sqlite", badType.GetProperty("detail").GetString());
        var noName = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", new { type = "sqlite", path = "/a.db" });
        Assert.Contains("name", noName.GetProperty("detail").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", new { name = "x", type = "postgresql", host = "h", username = "u", port = 70000 });
        var id = await admin.CreateConnectionAsync("typed-pg");
        var typeChange = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/connections/{id}", new { type = "sqlite" });
        Assert.Contains("type", typeChange.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DuplicateConnectionNamesInAnyCaseGet409(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        await admin.CreateConnectionAsync("Dup-Warehouse");
        var other = await admin.CreateConnectionAsync("dup-lake");
        var problem = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/connections",
            new { name = "DUP-WAREHOUSE", type = "sqlite", path = "/a.db" });
        Assert.Contains("already exists", problem.GetProperty("detail").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/connections/{other}", new { name = " dup-warehouse " });
        // Renaming to a new case of its own name is fine.
        var renamed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{other}", new { name = "DUP-LAKE" });
        Assert.Equal("DUP-LAKE", renamed.GetProperty("name").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DeletingAConnectionInUseGets409NamingItsDatastores(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var connection = await admin.CreateConnectionAsync("in-use-warehouse");
        var datastore = await admin.CreateDatastoreAsync("in-use-sales", connection);
        var problem = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/connections/{connection}");
        Assert.Contains("in-use-sales", problem.GetProperty("detail").GetString());
        await admin.ReadAsync($"/api/connections/{connection}");

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/datastores/{datastore}");
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/connections/{connection}");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConnectionListsArePagedAndFiltered(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        for (var i = 1; i <= 7; i++) await admin.CreateConnectionAsync($"pg-{i:00}");
        await admin.CreateConnectionAsync("Local-Files", "sqlite");

        var first = await admin.ReadAsync("/api/connections?page=1&size=3");
        Assert.Equal(8, first.GetProperty("total").GetInt32());
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(3, first.GetProperty("size").GetInt32());
        Assert.Equal(["pg-01", "pg-02", "pg-03"], first.Names());
        Assert.Equal(["Local-Files"], (await admin.ReadAsync("/api/connections?page=3&size=3")).Names().Skip(1));
        Assert.Empty((await admin.ReadAsync("/api/connections?page=9&size=3")).Names());
        Assert.Equal(50, (await admin.ReadAsync("/api/connections")).GetProperty("size").GetInt32());
        Assert.Equal(8, (await admin.ReadAsync("/api/connections?size=1000")).Names().Length);

        Assert.Equal(["Local-Files"], (await admin.ReadAsync("/api/connections?name=local-files")).Names());
        Assert.Empty((await admin.ReadAsync("/api/connections?name=local")).Names());
        Assert.Equal(["pg-01", "pg-02"], (await admin.ReadAsync("/api/connections?search=PG-0&size=2")).Names());
        Assert.Equal(["Local-Files"], (await admin.ReadAsync("/api/connections?search=FILE")).Names());
        Assert.Equal(["Local-Files"], (await admin.ReadAsync("/api/connections?type=sqlite")).Names());
        Assert.Equal(7, (await admin.ReadAsync("/api/connections?type=postgresql")).GetProperty("total").GetInt32());

        foreach (var bad in new[] { "size=1001", "size=0", "page=0", "page=-1", "page=abc", "size=lots" })
        {
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/connections?{bad}");
            Assert.Contains(bad.Split('=')[0], problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
