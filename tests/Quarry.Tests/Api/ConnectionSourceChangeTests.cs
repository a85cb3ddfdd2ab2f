namespace Quarry.Tests.Api;

/// <summary>
/// A connection changed to point at another source (host, port or path) leaves its datastores with catalogs read from
/// the old one: they become stale as a moved datastore does (docs/api.md "Moving a datastore"). A change of its name,
/// credentials, parameters or database points nowhere else (each datastore names its own database) and leaves them as
/// they are, by the API and by a config import alike.
/// </summary>
public sealed class ConnectionSourceChangeTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ChangingWhereAConnectionPointsMarksItsDatastoresStaleAndChangingItsCredentialsDoesNot(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var bystander = await admin.CreateDatastoreAsync("source-change-bystander", await admin.CreateConnectionAsync("source-change-other"));
        var changes = new (string Name, string Type, object Change)[]
        {
            ("host", "postgresql", new { host = "replica.example.com" }),
            ("port", "postgresql", new { port = 6432 }),
            ("path", "sqlite", new { path = "/tmp/another-file.db" }),
        };
        foreach (var (field, type, change) in changes)
        {
            var connection = await admin.CreateConnectionAsync($"source-change-{field}", type);
            var schema = type == "sqlite" ? "main" : "public";
            var datastores = new[]
            {
                await admin.CreateIdAsync("/api/datastores", new { name = $"source-change-{field}-a", connection_id = connection, schema }),
                await admin.CreateIdAsync("/api/datastores", new { name = $"source-change-{field}-b", connection_id = connection, schema }),
            };
            if (type == "postgresql")
                await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}",
                    new { name = $"source-change-{field}-renamed", username = "writer", password = "another-pw", parameters = new { sslmode = "require" }, database = "archive" });
            else
                await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { name = $"source-change-{field}-renamed" });
            foreach (var datastore in datastores) Assert.False(await StaleAsync(admin, datastore), $"{field}: only name, credentials, parameters and database changed");

            await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", change);
            foreach (var datastore in datastores) Assert.True(await StaleAsync(admin, datastore), $"{field} changed");
        }
        Assert.False(await StaleAsync(admin, bystander));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AConfigImportMarksStaleOnlyWhenItPointsAConnectionElsewhere(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        object Config(string host, string password) => new
        {
            connections = new[] { new { name = "config-source-change", type = "postgresql", host, port = 5432, username = "reader", password, database = "analytics" } },
            datastores = new[] { new { name = "config-source-change-ds", connection = "config-source-change", schema = "public" } },
        };
        var created = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", Config("db.example.com", "pw-1"));
        Assert.True(created.GetProperty("applied").GetBoolean(), created.ToString());
        var datastore = (await admin.ReadAsync("/api/datastores?name=config-source-change-ds")).GetProperty("items")[0].GetProperty("id").GetInt32();

        var again = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", Config("db.example.com", "pw-1"));
        Assert.Equal("unchanged", ConnectionItem(again).GetProperty("action").GetString());
        Assert.False(await StaleAsync(admin, datastore));

        var password = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", Config("db.example.com", "pw-2"));
        Assert.Equal("update", ConnectionItem(password).GetProperty("action").GetString());
        Assert.False(await StaleAsync(admin, datastore));

        var planned = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", Config("replica.example.com", "pw-2"));
        Assert.Equal("update", ConnectionItem(planned).GetProperty("action").GetString());
        Assert.False(await StaleAsync(admin, datastore));
        var moved = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", Config("replica.example.com", "pw-2"));
        Assert.True(moved.GetProperty("applied").GetBoolean(), moved.ToString());
        Assert.True(await StaleAsync(admin, datastore));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ASyncStillReadingTheOldSourceWhenTheConnectionMovesLeavesTheDatastoreStale(StoreKind kind)
    {
        var server = await servers.For(kind);
        using var shop = await SqliteShop.CreateAsync();
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new
        {
            name = "moved-while-syncing", type = "sqlite", path = shop.Main, parameters = new { command_timeout = "60" },
        });
        var datastore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "moved-while-syncing", null, "main");
        OperationDto running;
        // The lock holds the sync at the old file until the connection has moved to the other one.
        await using (var locker = await SourceDatabases.LockSqliteAsync(shop.Main))
        {
            running = await SyncApi.StartSyncAsync(server.Admin, datastore);
            await SyncApi.PollAsync(() => Task.FromResult(server.Logs.All), logs => logs.Contains($"Sync {running.Id}: reading"), "the sync to start reading");
            await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { path = shop.Archive });
            Assert.True(await StaleAsync(server.Admin, datastore));
        }
        Assert.Equal(OperationResult.Success, (await SyncApi.WaitAsync(server.Admin, running.Id)).Result);
        Assert.True(await StaleAsync(server.Admin, datastore), "the sync read the file the connection no longer names");

        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, datastore)).Result);
        Assert.False(await StaleAsync(server.Admin, datastore));
    }

    private static JsonElement ConnectionItem(JsonElement result) =>
        result.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "connection");

    private static async Task<bool> StaleAsync(HttpClient admin, int datastore) =>
        (await admin.ReadAsync($"/api/datastores/{datastore}")).GetProperty("catalog_stale").GetBoolean();
}
