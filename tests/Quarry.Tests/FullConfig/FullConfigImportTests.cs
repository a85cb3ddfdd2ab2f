namespace Quarry.Tests.FullConfig;

public sealed class FullConfigImportTests
{
    private static Dictionary<string, string> QualityFiles(FullConfigWorld world)
    {
        var files = world.BaseFiles();
        files["datastores/sales/containers/customer_balances/_container.yaml"] = """
            name: customer_balances
            container_type: computed_join
            left_container: customers
            right_container: balances
            join_type: left
            left_field: id
            right_field: id
            left_select: [id, name]
            right_select: [balance]
            """;
        files["datastores/sales/containers/customers/computed_fields/email_domain.yaml"] = """
            name: email_domain
            transformation: customExpression
            source_fields: [email]
            properties:
              expression: split_part(email, '@', 2)
            """;
        files["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        files["datastores/sales/checks/customers/between__balance.yaml"] = """
            rule: between
            fields: [balance]
            properties:
              min: 0
              max: 1000000.5
            coverage: 0.99
            tags: [money]
            """;
        files["datastores/sales/checks/customers/expectedValues__email_domain.yaml"] = """
            rule: expectedValues
            fields: [email_domain]
            properties:
              list: [example.com, "1234", true]
            """;
        files["datastores/sales/checks/customer_balances/notNull__name.yaml"] = "rule: notNull\nfields: [name]\ndescription: 'every balance has a customer: #1 rule'\n";
        return files;
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ImportSyncsTheNewDatastoreThenCreatesItsComputedContainersFieldsAndChecks(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var folder = world.Folder("quarry-config", QualityFiles(world));

        var result = await world.AssertImportsAsync(folder);
        Assert.Contains("Created datastore: sales", result.Stdout);
        Assert.Contains("Created computed container: sales/customer_balances", result.Stdout);
        Assert.Contains("Created computed field: sales/customers/email_domain", result.Stdout);
        Assert.Contains("Created quality check: sales/customers/between(balance)", result.Stdout);
        Assert.Contains("Quality checks", result.Stdout);

        var checks = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks?size=100");
        Assert.Equal(4, checks.GetProperty("total").GetInt32());
        var between = checks.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "between");
        Assert.Equal(1000000.5, between.GetProperty("properties").GetProperty("max").GetDouble());
        Assert.Equal(0.99, between.GetProperty("coverage").GetDouble());
        var expected = checks.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "expectedValues");
        Assert.Equal("""["example.com","1234",true]""", expected.GetProperty("properties").GetProperty("list").GetRawText());

        var again = await world.AssertImportsAsync(folder);
        var changed = again.Stdout.Split('\n').Where(l => l.StartsWith("Created ", StringComparison.Ordinal) || l.StartsWith("Updated ", StringComparison.Ordinal)).ToList();
        Assert.True(changed.Count == 0, again.Stdout);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task NoSyncRefusesChecksOnAnUncatalogedDatastoreNamingEachFileAndWritesNothing(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var folder = world.Folder("cfg", QualityFiles(world));

        var result = await world.ImportAsync(folder, "--no-sync");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{Path.Combine("cfg", "datastores", "sales", "checks", "customers", "notNull__id.yaml")}:1:1: container 'customers' is not in the catalog of datastore 'sales', and --no-sync", result.Stderr);
        Assert.Contains("left_container", File.ReadAllText(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/containers/customer_balances/_container.yaml")));
        Assert.Contains("container 'balances' is not in the catalog", result.Stderr);
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores")).GetProperty("total").GetInt32());

        var dryRun = await world.AssertImportsAsync(folder, "--dry-run");
        Assert.Contains("[DRY RUN] Would create quality check: sales/customers/notNull(id)", dryRun.Stdout);
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnInvalidCheckIsReportedAtItsFileAndLineAndNothingIsApplied(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var files = world.BaseFiles();
        var folder = world.Folder("cfg", files);
        Assert.Equal(0, (await world.ImportAsync(folder, "--sync")).ExitCode);
        var datastore = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores?name=sales")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await Sync.SyncApi.PollAsync(() => QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/containers?datastore={datastore}"),
            page => page.GetProperty("total").GetInt32() > 0, "the first sync");

        world.Folder("cfg", new Dictionary<string, string>
        {
            ["datastores/sales/checks/customers/between__balance.yaml"] = "rule: between\nfields: [balance]\nproperties:\n  min: 10\n  max: 1\n",
            ["datastores/sales/checks/customers/notNull__nickname.yaml"] = "rule: notNull\nfields: [nickname]\n",
            ["datastores/sales/checks/customers/unique__id.yaml"] = "rule: unique\nfields: [id]\n",
        });
        // What needs no catalog is found in the files before any request; the catalog's own problems come next.
        var local = await world.ImportAsync(folder);
        Assert.Equal(2, local.ExitCode);
        Assert.Contains($"{Path.Combine("cfg", "datastores", "sales", "checks", "customers", "between__balance.yaml")}:4:3: properties.min: must not be greater than max (10 > 1).", local.Stderr);
        File.WriteAllText(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/checks/customers/between__balance.yaml"), "rule: between\nfields: [balance]\nproperties:\n  min: 1\n  max: 10\n");
        var result = await world.ImportAsync(folder);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{Path.Combine("cfg", "datastores", "sales", "checks", "customers", "notNull__nickname.yaml")}:2:9:", result.Stderr);
        Assert.Contains("'nickname' is not a field of container 'customers'", result.Stderr);
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks")).GetProperty("total").GetInt32());

        File.WriteAllText(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/checks/customers/unique__id.yaml"), "rule: unique\nfeilds: [id]\n");
        var typo = await world.ImportAsync(folder);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("unique__id.yaml:2:1: unknown key 'feilds' in a check; did you mean 'fields'?", typo.Stderr);
    }
}
