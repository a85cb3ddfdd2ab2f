namespace Quarry.Tests.Api;

/// <summary>
/// A connection changed to point at another source (host, port, database or path) leaves its datastores with catalogs
/// read from the old one: they become stale as a moved datastore does (docs/api.md "Moving a datastore"). A change of
/// its name or credentials points nowhere else and leaves them as they are, by the API and by a config import alike.
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
            ("database", "postgresql", new { database = "archive" }),
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
                    new { name = $"source-change-{field}-renamed", username = "writer", password = "another-pw", parameters = new { sslmode = "require" } });
            else
                await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { name = $"source-change-{field}-renamed" });
            foreach (var datastore in datastores) Assert.False(await StaleAsync(admin, datastore), $"{field}: only credentials and name changed");

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

    private static JsonElement ConnectionItem(JsonElement result) =>
        result.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "connection");

    private static async Task<bool> StaleAsync(HttpClient admin, int datastore) =>
        (await admin.ReadAsync($"/api/datastores/{datastore}")).GetProperty("catalog_stale").GetBoolean();
}
