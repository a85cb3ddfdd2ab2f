namespace Quarry.Tests.Sync;

/// <summary>A source database that restarts between syncs: the connections Quarry pooled to it are dead.</summary>
public sealed class SourceRestartTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ASyncAfterTheSourceDatabaseRestartedSucceeds(StoreKind store)
    {
        await using var source = await ThrowawayPostgres.StartAsync();
        await source.ExecuteAsync("CREATE SCHEMA sales; CREATE TABLE sales.customers (id integer PRIMARY KEY, name text);");
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, SourceDatabases.PostgresConnection("source", source.ConnectionString()));
        var sales = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "sales", "postgres", "sales");
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, sales)).Result);

        await source.StopAsync();
        await source.StartAgainAsync();
        await source.ExecuteAsync("CREATE TABLE sales.orders (id integer PRIMARY KEY);");

        var again = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.True(again.Result == OperationResult.Success, again.Message);
        Assert.Equal(["customers", "orders"], (await SyncApi.ContainersAsync(server.Admin, sales)).Select(c => c.Name).Order(StringComparer.Ordinal));
    }
}
