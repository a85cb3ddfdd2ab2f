namespace Quarry.Tests.Sync;

public sealed class SyncCliTests
{
    [Fact]
    public async Task OperationsSyncWaitSyncsCommaSeparatedDatastoresAndExitsOneWhenAnyFails()
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var (main, archive) = (shop.Main, shop.Archive);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new { name = "shop", type = "sqlite", path = main, parameters = new { attach = new { archive } } });
        var a = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop-main", null, "main");
        var b = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop-archive", null, "archive");
        var broken = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop-missing", null, "nowhere");

        var ok = await cli.RunAsync("operations", "sync", "--datastore-id", $"{a},{b}", "--wait", "--parallel", "2");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("Sync Summary", ok.Stdout);
        Assert.Contains("2 datastore(s) synced.", ok.Stdout);
        Assert.Contains($"datastore {a} (shop-main): operation", ok.Stderr);
        Assert.Contains("success", ok.Stderr);

        var failed = await cli.RunAsync("operations", "sync", "--datastore-id", $"{a},{broken}", "--wait", "--format", "json");
        Assert.Equal(1, failed.ExitCode);
        using var summary = JsonDocument.Parse(failed.Stdout);
        Assert.Equal(["success", "failure"], summary.RootElement.EnumerateArray().Select(o => o.GetProperty("result").GetString()));
        Assert.Contains("Schema 'nowhere' does not exist", summary.RootElement[1].GetProperty("message").GetString());

        var containers = await cli.RunAsync("containers", "list", "--datastore-id", $"{a}", "--format", "json");
        Assert.Equal(0, containers.ExitCode);
        using var list = JsonDocument.Parse(containers.Stdout);
        Assert.Contains("Order Items", list.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var operations = await cli.RunAsync("operations", "list", "--datastore-id", $"{broken}", "--result", "failure");
        Assert.Equal(0, operations.ExitCode);
        Assert.Contains("1 operation(s)", operations.Stdout);

        Assert.Equal(1, (await cli.RunAsync("datastores", "verify", $"{broken}")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "verify", $"{a}")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("connections", "test", $"{connection}")).ExitCode);
        // By name too, as the discovery commands take them.
        Assert.Equal(0, (await cli.RunAsync("connections", "test", "SHOP")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "verify", "shop-main")).ExitCode);
        var unknown = await cli.RunAsync("datastores", "verify", "no-such-datastore");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No datastore you may see is named 'no-such-datastore'", unknown.Stderr);

        var queued = await cli.RunAsync("operations", "sync", "--datastore-id", $"{b}", "--format", "json");
        Assert.Equal(0, queued.ExitCode);
        var id = JsonDocument.Parse(queued.Stdout).RootElement[0].GetProperty("id").GetInt32();
        await SyncApi.WaitAsync(server.Admin, id);
        var get = await cli.RunAsync("operations", "get", $"{id}");
        Assert.Contains("success", get.Stdout);
    }

    [Fact]
    public async Task OperationsSyncNamesAnUnknownDatastoreWithoutQueuingAnything()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);

        // Names are accepted beside ids now, so 'abc' is looked up and reported as unknown rather than as "not a number".
        var bad = await cli.RunAsync("operations", "sync", "--datastore-id", "abc");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("No datastore you may see is named 'abc'", bad.Stderr);

        var missing = await cli.RunAsync("operations", "sync", "--datastore-id", "999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("999", missing.Stderr);
        Assert.Contains("\"total\":0", await server.Admin.GetStringAsync("/api/operations"));
    }
}
