namespace Quarry.Tests.FullConfig;

/// <summary>
/// A check on a table that is not synced yet can't be checked against the catalog, but its rule and properties can:
/// they are checked before anything of the config is written, so "nothing was applied" stays true.
/// </summary>
public sealed class CheckValidationBeforeWriteTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUnknownRuleOrABetweenWithMinAboveMaxOnAnUnsyncedTableFailsTheDryRunAndTheApplyAtItsFileWithNothingWritten(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var files = world.BaseFiles();
        files["datastores/sales/checks/customers/notAThing__id.yaml"] = "rule: notAThing\nfields: [id]\n";
        files["datastores/sales/checks/customers/between__balance.yaml"] = "rule: between\nfields: [balance]\nproperties:\n  min: 10\n  max: 1\n";
        var folder = world.Folder("cfg", files);
        var checks = Path.Combine("cfg", "datastores", "sales", "checks", "customers");

        foreach (var args in new[] { new[] { "--dry-run" }, [] })
        {
            var result = await world.Cli.RunAsync(["config", "import", "--input", folder, .. args]);

            Assert.True(result.ExitCode == 2, result.Output);
            Assert.Contains($"{Path.Combine(checks, "notAThing__id.yaml")}:1:7: rule: 'notAThing' is not a known rule.", result.Stderr);
            Assert.Contains($"{Path.Combine(checks, "between__balance.yaml")}:4:3: properties.min: must not be greater than max (10 > 1).", result.Stderr);
            Assert.DoesNotContain("Would create", result.Stdout);
        }
        Assert.Equal(0, (await world.Server.Admin.ReadAsync("/api/connections")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await world.Server.Admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ThePlanOfACheckOnADatastoreStillToBeSyncedRefusesAnUnknownRule(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var plan = await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", new
        {
            connections = new[] { new { name = "warehouse", type = "sqlite", path = "/tmp/w.db" } },
            datastores = new[] { new { name = "sales", connection = "warehouse" } },
            checks = new object[]
            {
                new { datastore = "sales", container = "customers", rule = "notAThing", fields = new[] { "id" } },
                new { datastore = "sales", container = "customers", rule = "notNull", fields = new[] { "id" } },
            },
        });

        var items = plan.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "quality_check").ToList();
        Assert.Equal(["failed", "create"], items.Select(i => i.GetProperty("action").GetString()));
        var error = items[0].GetProperty("errors")[0];
        Assert.Equal("rule", error.GetProperty("field").GetString());
        Assert.StartsWith("'notAThing' is not a known rule.", error.GetProperty("message").GetString());
    }
}
