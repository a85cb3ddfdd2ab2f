using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

/// <summary>Checks and computed containers over a catalog that a real sync of a real PostgreSQL database wrote.</summary>
public sealed class SyncedQualityTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ResyncsAndPrunesKeepComputedContainersAndChecksAndTheCatalogDrivesValidation(StoreKind store)
    {
        await using var source = await PostgresSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var admin = server.Admin;
        var connection = await source.ConnectAsync(admin);
        var datastore = await SyncApi.CreateDatastoreAsync(admin, connection, "sales", null, "sales");
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, datastore)).Result);
        var customers = (await SyncApi.ContainersAsync(admin, datastore)).Single(c => c.Name == "customers").Id;

        var (status, join, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "customer_balances", datastore_id = datastore, container_type = "computed_join", left_container = "customers",
            right_container = "balances", left_field = "id", right_field = "id", left_select = new[] { "id", "name" }, right_select = new[] { "balance" },
        });
        Assert.True(status == HttpStatusCode.Created, join.ToString());
        Assert.Equal(["id", "name", "balance"], join.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        (status, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new { name = "rich", datastore_id = datastore, container_type = "computed_table", query = "select * from sales.customers where balance > 1000" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = join.GetProperty("id").GetInt32(), fields = new[] { "name" } })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "maxLength", container_id = customers, fields = new[] { "email" }, properties = new { value = 200 } })).Status);

        await source.ExecuteAsync("ALTER TABLE sales.customers DROP COLUMN email");
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, datastore)).Result);
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, datastore, prune: true)).Result);

        var computed = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/computed-containers?datastore={datastore}");
        Assert.Equal(["customer_balances", "rich"], computed.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        var joinAfter = computed.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "customer_balances");
        Assert.Equal(["id", "name", "balance"], joinAfter.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var containers = await SyncApi.ContainersAsync(admin, datastore, includeRemoved: true);
        Assert.False(containers.Single(c => c.Name == "customer_balances").Removed);
        Assert.False(containers.Single(c => c.Name == "rich").Removed);
        Assert.Equal(2, (await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/quality-checks?datastore={datastore}")).GetProperty("total").GetInt32());

        // The catalog now says customers has no email: a new check on it is refused, naming the field.
        var (refused, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "email" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("'email' is not a field of container 'customers'", Assert.Single(Errors(problem, "fields")));
    }
}
