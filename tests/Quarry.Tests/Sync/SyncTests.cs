namespace Quarry.Tests.Sync;

public sealed class SyncTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SyncRecordsEveryContainerAndFieldOfAPostgresSchema(StoreKind store)
    {
        await using var source = await PostgresSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await source.ConnectAsync(server.Admin);
        var sales = await source.CreateDatastoreAsync(server.Admin, connection, "sales", "sales");
        var archive = await source.CreateDatastoreAsync(server.Admin, connection, "archive", "Archive");

        var operation = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Success, operation.Result);
        Assert.Equal(6, operation.Status.TotalContainers);
        Assert.Equal(6, operation.Status.ContainersAnalyzed);
        Assert.NotNull(operation.StartTime);
        Assert.NotNull(operation.EndTime);

        var containers = await SyncApi.ContainersAsync(server.Admin, sales);
        Assert.Equal(
            ["Order Items:table", "balances:materialized_view", "café:table", "customer_names:view", "customers:table", "events:partitioned_table"],
            containers.Select(c => $"{c.Name}:{c.ContainerType}").Order(StringComparer.Ordinal));
        var items = await SyncApi.FieldsAsync(server.Admin, containers.Single(c => c.Name == "Order Items").Id);
        Assert.Equal(["1 Item ID bigint False", "2 Quantity integer True", "3 price numeric(10,2) True"],
            items.Select(f => $"{f.Ordinal} {f.Name} {f.DataType} {f.Nullable}"));
        Assert.Equal(["crème", "brûlée"], (await SyncApi.FieldsAsync(server.Admin, containers.Single(c => c.Name == "café").Id)).Select(f => f.Name));

        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, archive)).Result);
        Assert.Equal(["Old Orders"], (await SyncApi.ContainersAsync(server.Admin, archive)).Select(c => c.Name));
        var views = await QuarryTestServer.GetJsonAsync<Page<Quarry.Contracts.Catalog.ContainerDto>>(server.Admin, $"/api/containers?datastore={sales}&type=view");
        Assert.Equal(["customer_names"], views.Items.Select(c => c.Name));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ResyncPicksUpChangesAndAnUnchangedResyncWritesNothing(StoreKind store)
    {
        await using var source = await PostgresSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await source.ConnectAsync(server.Admin);
        var sales = await source.CreateDatastoreAsync(server.Admin, connection, "sales", "sales");
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, sales)).Result);
        var before = await SyncApi.SnapshotAsync(server.Admin, sales);

        var unchanged = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Success, unchanged.Result);
        Assert.Contains("no changes", unchanged.Details);
        Assert.Equal(before, await SyncApi.SnapshotAsync(server.Admin, sales));

        await source.ExecuteAsync("""DROP TABLE sales."café"; ALTER TABLE sales.customers ADD COLUMN "Loyalty Tier" smallint NOT NULL DEFAULT 0;""");
        var changed = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Success, changed.Result);
        Assert.Contains("1 removed", changed.Details);

        Assert.DoesNotContain("café", (await SyncApi.ContainersAsync(server.Admin, sales)).Select(c => c.Name));
        var withRemoved = await SyncApi.ContainersAsync(server.Admin, sales, includeRemoved: true);
        Assert.True(withRemoved.Single(c => c.Name == "café").Removed);
        var customers = withRemoved.Single(c => c.Name == "customers");
        Assert.Equal("5 Loyalty Tier smallint False",
            (await SyncApi.FieldsAsync(server.Admin, customers.Id)).Select(f => $"{f.Ordinal} {f.Name} {f.DataType} {f.Nullable}").Last());
        var untouched = withRemoved.Single(c => c.Name == "Order Items");
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(untouched), before);

        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, sales, prune: true)).Result);
        Assert.DoesNotContain("café", (await SyncApi.ContainersAsync(server.Admin, sales, includeRemoved: true)).Select(c => c.Name));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SyncReadsSqliteMainAndAttachedSchemas(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var (main, archive) = (shop.Main, shop.Archive);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin,
            new { name = "shop", type = "sqlite", path = main, parameters = new { attach = new { archive } } });
        var mainStore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop-main", null, "main");
        var archiveStore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop-archive", null, "archive");

        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, mainStore)).Result);
        Assert.Equal(["Order Items:table", "café:table", "customer_names:view", "customers:table"],
            (await SyncApi.ContainersAsync(server.Admin, mainStore)).Select(c => $"{c.Name}:{c.ContainerType}").Order(StringComparer.Ordinal));
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, archiveStore)).Result);
        var old = Assert.Single(await SyncApi.ContainersAsync(server.Admin, archiveStore));
        Assert.Equal(["id INTEGER True", "total REAL False"],
            (await SyncApi.FieldsAsync(server.Admin, old.Id)).Select(f => $"{f.Name} {f.DataType} {f.Nullable}"));

        File.Delete(main);
        var failed = await SyncApi.SyncAsync(server.Admin, mainStore);
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains("does not exist", failed.Message);
        Assert.False(File.Exists(main));
        Assert.Equal(4, (await SyncApi.ContainersAsync(server.Admin, mainStore)).Count);
    }
}
