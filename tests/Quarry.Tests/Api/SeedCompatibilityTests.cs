namespace Quarry.Tests.Api;

/// <summary>
/// A Python script that onboards with plain API calls (connections, then datastores), request for request, with
/// exactly its bodies: scripts written against the public API keep working unchanged.
/// </summary>
public sealed class SeedCompatibilityTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ThePythonEquivalentRunsUnchanged(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var (_, managerToken) = await server.CreateUserAsync("onboarder", Quarry.Contracts.Access.Role.Manager);
        var client = server.Client(managerToken);

        var connections = new[]
        {
            new Dictionary<string, object> { ["name"] = "warehouse-prod-db", ["type"] = "postgresql", ["host"] = "warehouse.example.com", ["port"] = 5432, ["username"] = "qualytics_reader", ["password"] = "S3cur3p@ss" },
            new Dictionary<string, object> { ["name"] = "analytics-prod-db", ["type"] = "postgresql", ["host"] = "analytics.example.com", ["port"] = 5432, ["username"] = "reader", ["password"] = "an0th3r" },
        };
        var datastores = new[]
        {
            new Dictionary<string, object> { ["name"] = "warehouse-prod", ["connection_name"] = "warehouse-prod-db", ["database"] = "analytics", ["schema"] = "public", ["tags"] = new[] { "production", "warehouse" } },
            new Dictionary<string, object> { ["name"] = "analytics-prod", ["connection_name"] = "analytics-prod-db", ["database"] = "events", ["schema"] = "public", ["tags"] = new[] { "production" } },
        };

        var nameToId = new Dictionary<string, int>();
        foreach (var conn in connections)
        {
            var r = await client.PostAsJsonAsync("/api/connections", conn);
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
            nameToId[(string)conn["name"]] = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        }

        var created = new List<int>();
        foreach (var ds in datastores)
        {
            // body = {**ds, "connection_id": name_to_id[ds.pop("connection_name")]}: the pop happens after the
            // copy is taken, so the body carries both connection_name and connection_id.
            var body = new Dictionary<string, object>(ds) { ["connection_id"] = nameToId[(string)ds["connection_name"]] };
            var r = await client.PostAsJsonAsync("/api/datastores", body);
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            created.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var first = await QuarryTestServer.GetJsonAsync<JsonElement>(client, $"/api/datastores/{created[0]}");
        Assert.Equal("warehouse-prod", first.GetProperty("name").GetString());
        Assert.Equal(nameToId["warehouse-prod-db"], first.GetProperty("connection").GetProperty("id").GetInt32());
        Assert.Equal(["production", "warehouse"], first.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("Public", Assert.Single(first.GetProperty("teams").EnumerateArray()).GetProperty("name").GetString());
        var connection = await QuarryTestServer.GetJsonAsync<JsonElement>(client, $"/api/connections/{nameToId["warehouse-prod-db"]}");
        Assert.True(connection.GetProperty("password_set").GetBoolean());
        Assert.False(connection.TryGetProperty("password", out _));
    }
}
