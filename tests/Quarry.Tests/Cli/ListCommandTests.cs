using System.Globalization;

namespace Quarry.Tests.Cli;

public sealed class ListCommandTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConnectionsAndDatastoresListAndGetAsTablesAndAsJson(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var warehouse = await admin.CreateConnectionAsync("warehouse");
        await admin.CreateConnectionAsync("files", "sqlite");
        var sales = await admin.CreateDatastoreAsync("sales", warehouse, tags: ["production"]);
        await admin.CreateDatastoreAsync("marketing", warehouse);
        using var cli = new CliRunner(server);

        var table = await cli.RunAsync("connections", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("warehouse", table.Stdout);
        Assert.Contains("files", table.Stdout);
        Assert.Contains("2 connection(s)", table.Stdout);

        var json = await cli.RunAsync("connections", "list", "--format", "json", "--type", "sqlite");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(["files"], JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var one = await cli.RunAsync("connections", "get", warehouse.ToString(CultureInfo.InvariantCulture), "--format", "json");
        Assert.Equal("warehouse", JsonDocument.Parse(one.Stdout).RootElement.GetProperty("name").GetString());
        var missing = await cli.RunAsync("connections", "get", "999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("404", missing.Stderr);
        Assert.Empty(missing.Stdout);

        var datastores = await cli.RunAsync("datastores", "list");
        Assert.Equal(0, datastores.ExitCode);
        Assert.Contains("sales", datastores.Stdout);
        Assert.Contains("Public", datastores.Stdout);
        Assert.Contains("2 datastore(s)", datastores.Stdout);

        var tagged = await cli.RunAsync("datastores", "list", "--tag", "production", "--format", "json");
        Assert.Equal(["sales"], JsonDocument.Parse(tagged.Stdout).RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(["marketing"], Names(await cli.RunAsync("datastores", "list", "--name", "MARKETING", "--format", "json")));
        Assert.Equal(["sales", "marketing"], Names(await cli.RunAsync("datastores", "list", "--enrichment-only", "false", "--format", "json")));
        Assert.Empty(Names(await cli.RunAsync("datastores", "list", "--enrichment-only", "--format", "json")));
        Assert.Equal(["sales", "marketing"], Names(await cli.RunAsync("datastores", "list", "--connection-id", warehouse.ToString(CultureInfo.InvariantCulture), "--format", "json")));
        Assert.Empty(Names(await cli.RunAsync("datastores", "list", "--connection-id", "999", "--format", "json")));
        Assert.Equal(["sales", "marketing"], Names(await cli.RunAsync("datastores", "list", "--team", "public", "--format", "json")));
        var get = await cli.RunAsync("datastores", "get", sales.ToString(CultureInfo.InvariantCulture), "--format", "json");
        Assert.Equal(0, get.ExitCode);
        var datastore = JsonDocument.Parse(get.Stdout).RootElement;
        Assert.Equal("warehouse", datastore.GetProperty("connection").GetProperty("name").GetString());
        var getTable = await cli.RunAsync("datastores", "get", sales.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("production", getTable.Stdout);
    }

    [Fact]
    public async Task ListsReadEveryPageAndAMemberListsOnlyWhatItMaySee()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("warehouse");
        await admin.CreateIdAsync("/api/teams", new { name = "Finance" });
        // More than one page of the largest size the CLI asks for (1000).
        for (var i = 1; i <= 1001; i++) await admin.CreateIdAsync("/api/datastores", new { name = $"ds-{i:0000}", connection_id = connection, schema = "s" });
        await admin.CreateDatastoreAsync("ledger", connection, ["Finance"]);

        using var adminCli = new CliRunner(server);
        var all = await adminCli.RunAsync("datastores", "list", "--format", "json");
        Assert.Equal(1002, JsonDocument.Parse(all.Stdout).RootElement.GetArrayLength());

        var (_, memberToken) = await server.CreateUserAsync("ana", Role.Member);
        using var memberCli = new CliRunner(server, memberToken);
        var visible = JsonDocument.Parse((await memberCli.RunAsync("datastores", "list", "--format", "json", "--search", "ledger")).Stdout).RootElement;
        Assert.Equal(0, visible.GetArrayLength());
    }

    private static List<string?> Names(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
    }
}
