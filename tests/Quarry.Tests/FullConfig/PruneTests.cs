using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.FullConfig;

public sealed class PruneTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task PruneDeletesOnlyWhatItsNamespaceCreatedAndNoLongerHolds(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var files = world.BaseFiles();
        files["datastores/archive/_datastore.yaml"] = files["datastores/sales/_datastore.yaml"].Replace("name: sales", "name: archive").Replace("schema: sales", "schema: Archive");
        files["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        files["datastores/sales/checks/customers/unique__id.yaml"] = "rule: unique\nfields: [id]\n";
        files["datastores/sales/containers/customers/computed_fields/email_domain.yaml"] = "name: email_domain\ntransformation: customExpression\nsource_fields: [email]\nproperties:\n  expression: lower(email)\n";
        var folder = world.Folder("cfg", files);
        await world.AssertImportsAsync(folder);

        // One check made by hand, one by another config namespace: prune must leave both alone.
        var (status, _, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "maxLength", datastore_id = await IdAsync(world, "sales"), container_name = "customers", fields = new[] { "email" }, properties = new { value = 200 } });
        Assert.Equal(HttpStatusCode.Created, status);
        var other = world.Folder("team-b", new Dictionary<string, string> { ["datastores/sales/checks/customers/notNull__name.yaml"] = "rule: notNull\nfields: [name]\n" });
        await world.AssertImportsAsync(other);

        File.Delete(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/checks/customers/unique__id.yaml"));
        File.Delete(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/containers/customers/computed_fields/email_domain.yaml"));
        Directory.Delete(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/archive"), recursive: true);

        var plan = await world.ImportAsync(folder, "--prune", "--dry-run", "--detailed-exitcode");
        Assert.True(plan.ExitCode == 3, plan.Output);
        Assert.Contains("[DRY RUN] Would delete quality check: sales/customers/unique(id)\n    - quality check sales/customers/unique(id)", plan.Stdout);
        Assert.Contains("[DRY RUN] Would delete computed field: sales/customers/email_domain", plan.Stdout);
        Assert.Contains("[DRY RUN] Would delete datastore: archive", plan.Stdout);
        Assert.Equal(3, plan.Stdout.Split('\n').Count(l => l.Contains("Would delete", StringComparison.Ordinal)));
        Assert.Contains("Deleted", plan.Stdout);
        Assert.Equal(4, await CountAsync(world, "/api/quality-checks"));

        var prune = await world.AssertImportsAsync(folder, "--prune");
        Assert.Contains("Deleted quality check: sales/customers/unique(id)", prune.Stdout);
        var rules = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks")).GetProperty("items").EnumerateArray()
            .Select(c => $"{c.GetProperty("rule").GetString()}({string.Join(",", c.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()))})").Order();
        Assert.Equal(["maxLength(email)", "notNull(id)", "notNull(name)"], rules);
        Assert.Equal(0, await CountAsync(world, "/api/computed-fields"));
        Assert.Equal(0, await CountAsync(world, "/api/datastores?name=archive"));
        Assert.Equal(1, await CountAsync(world, "/api/connections"));

        await world.AssertImportsAsync(folder, "--prune", "--dry-run", "--detailed-exitcode");
    }

    [Fact]
    public async Task ChecksWhoseUidsDifferOnlyInCaseAreTwoChecksAsOnTheServer()
    {
        await using var world = await FullConfigWorld.StartAsync(StoreKind.Sqlite);
        var files = world.BaseFiles();
        files["datastores/sales/checks/customers/notNull__id.u1.yaml"] = "rule: notNull\nfields: [id]\nuid: u1\n";
        files["datastores/sales/checks/customers/notNull__id.U1.yaml"] = "rule: notNull\nfields: [id]\nuid: U1\n";

        await world.AssertImportsAsync(world.Folder("cfg", files));
        Assert.Equal(2, await CountAsync(world, "/api/quality-checks"));
    }

    /// <summary>
    /// Lists leave archived checks out, so an exported folder has none: a prune of that folder must not read their absence as
    /// "removed from the config" and delete them with the history they were archived to keep. Active ones still go.
    /// </summary>
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task PruneLeavesArchivedChecksWithTheirHistory(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var files = world.BaseFiles();
        files["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        files["datastores/sales/checks/customers/unique__id.yaml"] = "rule: unique\nfields: [id]\n";
        files["datastores/sales/checks/customers/notNull__email.yaml"] = "rule: notNull\nfields: [email]\n";
        var folder = world.Folder("cfg", files);
        await world.AssertImportsAsync(folder);
        var checks = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => $"{c.GetProperty("rule").GetString()}({c.GetProperty("fields")[0].GetProperty("name").GetString()})", c => c.GetProperty("id").GetInt32());
        await world.Server.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/quality-checks/{checks["unique(id)"]}?archive=true");

        File.Delete(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/checks/customers/unique__id.yaml"));
        File.Delete(Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/checks/customers/notNull__email.yaml"));
        var plan = await world.AssertImportsAsync(folder, "--prune", "--dry-run");
        Assert.Contains("Would delete quality check: sales/customers/notNull(email)", plan.Stdout);
        Assert.DoesNotContain("unique(id)", plan.Stdout);

        await world.AssertImportsAsync(folder, "--prune");
        var left = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks?archived=include")).GetProperty("items").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetInt32(), c.GetProperty("status").GetString()!)).OrderBy(c => c.Item1).ToList();
        Assert.Equal(new[] { (checks["notNull(id)"], "Active"), (checks["unique(id)"], "Archived") }.OrderBy(c => c.Item1), left);
    }

    private static async Task<int> CountAsync(FullConfigWorld world, string path) =>
        (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, path)).GetProperty("total").GetInt32();

    private static async Task<int> IdAsync(FullConfigWorld world, string datastore) =>
        (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/datastores?name={datastore}")).GetProperty("items")[0].GetProperty("id").GetInt32();
}
