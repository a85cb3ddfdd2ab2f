using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Sync;

/// <summary>A pruning sync and the computed joins that read what it would delete.</summary>
public sealed class PruneWithJoinsTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task APruneKeepsATableAComputedJoinReadsMarkedRemovedAndTheJoinStaysReadable(StoreKind kind)
    {
        using var shop = await SqliteShop.CreateAsync("quarry-prune-join-");
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        await SourceDatabases.ExecuteSqliteAsync(shop.Main, "CREATE TABLE orders (id INTEGER, customer_id INTEGER, amount REAL); CREATE TABLE scratch (x INTEGER);");
        var datastore = await shop.CreateDatastoreAsync(admin);
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(admin, datastore)).Result);
        var (status, join, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "orders_with_customers", datastore_id = datastore, container_type = "computed_join",
            left_container = "orders", right_container = "customers", left_field = "customer_id", right_field = "id",
            left_select = new[] { "amount" }, right_select = new[] { "name" },
        });
        Assert.True(status == HttpStatusCode.Created, join.ToString());

        await SourceDatabases.ExecuteSqliteAsync(shop.Main, "DROP TABLE orders; DROP TABLE scratch;");
        var pruned = await SyncApi.SyncAsync(admin, datastore, prune: true);

        Assert.Equal(OperationResult.Success, pruned.Result);
        var containers = (await admin.ReadAsync($"/api/containers?datastore={datastore}&size=100&include_removed=true")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.False(containers.ContainsKey("scratch"));
        Assert.True(containers["orders"].GetProperty("removed").GetBoolean());
        var read = await admin.ReadAsync($"/api/computed-containers/{join.GetProperty("id").GetInt32()}");
        Assert.Equal("orders", read.GetProperty("left_container").GetProperty("name").GetString());
        Assert.Equal(1, (await admin.ReadAsync($"/api/computed-containers?datastore={datastore}")).GetProperty("total").GetInt32());
    }
}
