using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.FullConfig;

public sealed class ExportRoundTripTests
{
    /// <summary>State made by hand through the API, with the awkward values an export must carry exactly.</summary>
    private static async Task BuildAsync(FullConfigWorld world)
    {
        var admin = world.Server.Admin;
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("source", world.Source, password: FullConfigWorld.Password));
        var datastore = (await QuarryTestServer.PostJsonAsync<JsonElement>(admin, "/api/datastores", new
        {
            name = "sales", connection_id = connection, schema = "sales", description = "Sales: the #1 schema", tags = new[] { "finance", "core" },
            source_record_limit = 25,
        })).GetProperty("id").GetInt32();
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, datastore)).Result);

        await admin.CreateAsync("/api/computed-containers", new { name = "rich", datastore_id = datastore, container_type = "computed_table", query = "select *\nfrom sales.customers\nwhere balance > 1000", description = "big ones" });
        await admin.CreateAsync("/api/computed-containers", new
        {
            name = "customer_balances", datastore_id = datastore, container_type = "computed_join", left_container = "customers", right_container = "balances",
            left_field = "id", right_field = "id", join_type = "full", left_select = new[] { "id", "name" }, right_select = new[] { "balance" },
        });
        await admin.CreateAsync("/api/containers", new
        {
            name = "positive_by_name", datastore_id = datastore, container_type = "computed_join", left_container = "customers", right_container = "balances",
            left_field = "id", right_field = "id", select_clause = "left_name AS name, count(*) AS balances", where_clause = "right_balance > 0 AND l.name <> 'x'",
            group_by_clause = "left_name",
        });
        await admin.CreateAsync("/api/computed-fields", new { name = "email_domain", datastore_id = datastore, container_name = "customers", transformation = "customExpression", source_fields = new[] { "email" }, properties = new { expression = "split_part(email, '@', 2)" } });
        await admin.CreateAsync("/api/computed-fields", new { name = "balance_num", datastore_id = datastore, container_name = "customers", transformation = "cast", source_fields = new[] { "balance" }, properties = new { target_type = "fractional" } });
        await admin.CreateAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "id" } });
        await admin.CreateAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "id" }, uid = "pk again", description = "same rule, own uid" });
        await admin.CreateAsync("/api/quality-checks", new { rule = "between", datastore_id = datastore, container_name = "customers", fields = new[] { "balance" }, properties = new { min = 0, max = 1000000.5, inclusive = false }, coverage = 0.95, filter = "balance IS NOT NULL" });
        await admin.CreateAsync("/api/quality-checks", new { rule = "expectedValues", datastore_id = datastore, container_name = "customers", fields = new[] { "email_domain" }, properties = new { list = new object[] { "example.com", "b: c", "${HOME}", "true", 42, "@home" } }, tags = new[] { "b", "a", "@ops" } });
        await admin.CreateAsync("/api/quality-checks", new { rule = "matchesPattern", datastore_id = datastore, container_name = "customers", fields = new[] { "email" }, properties = new { pattern = @"^[^@\s]+@[^@\s]+$" }, description = "every row: #checked\nsecond line" });
        await admin.CreateAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customer_balances", fields = new[] { "balance" } });
        await admin.CreateAsync("/api/quality-checks", new { rule = "satisfiesExpression", datastore_id = datastore, container_name = "rich", properties = new { expression = "balance > 1000" } });
        await admin.CreateAsync("/api/quality-checks", new { rule = "existsIn", datastore_id = datastore, container_name = "balances", fields = new[] { "id" }, properties = new { ref_container = "customers", ref_field = "id", ref_datastore = "sales" } });
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ExportImportIntoAnEmptyServerAndExportAgainGivesIdenticalFolders(StoreKind kind)
    {
        await using var first = await FullConfigWorld.StartAsync(kind);
        await BuildAsync(first);

        await first.AssertExportsAsync("exported");
        var exported = Path.Combine(first.Cli.WorkingDirectory, "exported");
        var tree = FullConfigWorld.ReadTree(exported);
        Assert.Equal(
        [
            "connections/source.yaml",
            "datastores/sales/_datastore.yaml",
            "datastores/sales/checks/balances/existsIn__id.yaml",
            "datastores/sales/checks/customer_balances/notNull__balance.yaml",
            "datastores/sales/checks/customers/between__balance.yaml",
            "datastores/sales/checks/customers/expectedValues__email_domain.yaml",
            "datastores/sales/checks/customers/matchesPattern__email.yaml",
            "datastores/sales/checks/customers/notNull__id.pk_again.yaml",
            "datastores/sales/checks/customers/notNull__id.yaml",
            "datastores/sales/checks/rich/satisfiesExpression.yaml",
            "datastores/sales/containers/customer_balances/_container.yaml",
            "datastores/sales/containers/customers/computed_fields/balance_num.yaml",
            "datastores/sales/containers/customers/computed_fields/email_domain.yaml",
            "datastores/sales/containers/positive_by_name/_container.yaml",
            "datastores/sales/containers/rich/_container.yaml",
        ], tree.Keys);
        var grouped = Encoding.UTF8.GetString(tree["datastores/sales/containers/positive_by_name/_container.yaml"]);
        Assert.Contains("where_clause: right_balance > 0 AND l.name <> 'x'\n", grouped);
        Assert.Contains("group_by_clause: left_name\n", grouped);
        var connection = Encoding.UTF8.GetString(tree["connections/source.yaml"]);
        Assert.Contains("password: ${SOURCE_PASSWORD}\n", connection);
        Assert.Contains("source_record_limit: 25\n", Encoding.UTF8.GetString(tree["datastores/sales/_datastore.yaml"]));
        Assert.DoesNotContain(FullConfigWorld.Password, string.Concat(tree.Values.Select(Encoding.UTF8.GetString)));
        Assert.Equal("""
            rule: expectedValues
            fields:
              - email_domain
            properties:
              list:
                - example.com
                - "b: c"
                - "$${HOME}"
                - "true"
                - 42
                - "@home"
            tags:
              - "@ops"
              - a
              - b

            """.Replace("\r", ""), Encoding.UTF8.GetString(tree["datastores/sales/checks/customers/expectedValues__email_domain.yaml"]));

        var unchanged = await first.Cli.RunAsync("config", "export", "--output", "exported");
        Assert.Contains("0 file(s) written, 15 unchanged", unchanged.Stdout);

        await using var second = await first.AssertRoundTripsAsync(tree);
        var imported = (await QuarryTestServer.GetJsonAsync<JsonElement>(second.Server.Admin, "/api/computed-containers?name=positive_by_name")).GetProperty("items")[0];
        Assert.Equal(("right_balance > 0 AND l.name <> 'x'", "left_name"), (imported.GetProperty("where_clause").GetString(), imported.GetProperty("group_by_clause").GetString()));
        Assert.Equal("${HOME}", (await QuarryTestServer.GetJsonAsync<JsonElement>(second.Server.Admin, "/api/quality-checks?rule=expectedValues"))
            .GetProperty("items")[0].GetProperty("properties").GetProperty("list")[2].GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ExportOfOneDatastoreHoldsOnlyItAndItsConnection(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        await BuildAsync(world);
        var other = await SyncApi.CreateConnectionAsync(world.Server.Admin, new { name = "other", type = "sqlite", path = "/tmp/none.db" });
        var otherDatastore = await SyncApi.CreateDatastoreAsync(world.Server.Admin, other, "scratch", null, "main");
        var sales = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores?name=sales")).GetProperty("items")[0].GetProperty("id").GetInt32();

        await world.AssertExportsAsync("one", "--datastore-id", sales.ToString(), "--include", "connections,datastores,checks");
        var tree = FullConfigWorld.ReadTree(Path.Combine(world.Cli.WorkingDirectory, "one"));
        Assert.Contains("connections/source.yaml", tree.Keys);
        Assert.DoesNotContain("connections/other.yaml", tree.Keys);
        Assert.DoesNotContain(tree.Keys, k => k.Contains("scratch") || k.Contains("/containers/"));
        Assert.Equal(8, tree.Keys.Count(k => k.Contains("/checks/")));

        var bad = await world.Cli.RunAsync("config", "export", "--output", "x", "--include", "rules");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown kind(s) rules", bad.Stderr);
        Assert.True(otherDatastore > 0);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ExportingAgainRemovesTheFileOfADeletedResourceAndKeepsFilesOutsideTheLayout(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        await BuildAsync(world);
        var exported = Path.Combine(world.Cli.WorkingDirectory, "exported");
        await world.AssertExportsAsync("exported");
        var checkFile = FullConfigWorld.ReadTree(exported).Single(f => Encoding.UTF8.GetString(f.Value).Contains("satisfiesExpression")).Key;
        await File.WriteAllTextAsync(Path.Combine(exported, "README.md"), "hand-written notes");

        var checks = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks?rule=satisfiesExpression");
        var id = checks.GetProperty("items")[0].GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.NoContent, (await world.Server.Admin.DeleteAsync($"/api/quality-checks/{id}")).StatusCode);
        var again = await world.AssertExportsAsync("exported");
        Assert.Contains($"Removed {checkFile}", again.Stdout);
        var tree = FullConfigWorld.ReadTree(exported);
        Assert.DoesNotContain(checkFile, tree.Keys);
        Assert.Contains("README.md", tree.Keys);
        Assert.Contains("datastores/sales/_datastore.yaml", tree.Keys);
    }
}
