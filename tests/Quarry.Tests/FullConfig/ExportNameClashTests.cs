using System.Text.RegularExpressions;
using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.FullConfig;

/// <summary>Names that become the same path segment or the same secret variable must still export to their own file and variable.</summary>
public sealed class ExportNameClashTests
{
    /// <summary>Three connections and datastores, three computed containers and two checks of one container that all clash on their path.</summary>
    private static async Task BuildAsync(FullConfigWorld world)
    {
        var admin = world.Server.Admin;
        var source = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("source", world.Source, password: FullConfigWorld.Password));
        var sales = await SyncApi.CreateDatastoreAsync(admin, source, "sales", null, "sales");
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, sales)).Result);
        foreach (var suffix in new[] { " a", "/a", "_a" })
        {
            var connection = await SyncApi.CreateConnectionAsync(admin, new { name = "conn" + suffix, type = "sqlite", path = "/tmp/none.db" });
            await SyncApi.CreateDatastoreAsync(admin, connection, "ds" + suffix, null, "main");
        }

        // "RICH_A" differs from the others only in case once made a segment: a case-insensitive file system would merge it too.
        foreach (var name in new[] { "rich a", "rich/a", "RICH_A" })
        {
            await admin.CreateAsync("/api/computed-containers", new { name, datastore_id = sales, container_type = "computed_table", query = "select * from sales.customers" });
            await admin.CreateAsync("/api/quality-checks", new { rule = "notNull", datastore_id = sales, container_name = name, fields = new[] { "id" } });
        }
        foreach (var name in new[] { "x y", "x_y" })
        {
            await admin.CreateAsync("/api/computed-fields", new { name, datastore_id = sales, container_name = "customers", transformation = "customExpression", source_fields = new[] { "email" }, properties = new { expression = "lower(email)" } });
            await admin.CreateAsync("/api/quality-checks", new { rule = "notNull", datastore_id = sales, container_name = "customers", fields = new[] { name } });
        }
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ExportWritesEachResourceWhoseNameMapsToAnothersPathToItsOwnFileAndRoundTrips(StoreKind kind)
    {
        await using var first = await FullConfigWorld.StartAsync(kind);
        await BuildAsync(first);

        var export = await first.AssertExportsAsync("exported", "--format", "json");
        var counts = JsonDocument.Parse(export.Stdout).RootElement.GetProperty("counts");
        Assert.Equal([4, 4, 3, 2, 5], ConfigKinds.Select(k => counts.GetProperty(k).GetInt32()));
        var tree = FullConfigWorld.ReadTree(Path.Combine(first.Cli.WorkingDirectory, "exported"));
        Assert.Equal(["conn a", "conn/a", "conn_a", "source"], Values(tree, @"^connections/", "name"));
        Assert.Equal(["ds a", "ds/a", "ds_a", "sales"], Values(tree, @"/_datastore\.yaml$", "name"));
        Assert.Equal(["RICH_A", "rich a", "rich/a"], Values(tree, @"/_container\.yaml$", "name"));
        Assert.Equal(["x y", "x_y"], Values(tree, @"/computed_fields/", "name"));
        // A check's folder is not its container's name any more, so the file says which container it checks.
        Assert.Equal(["RICH_A", "rich a", "rich/a"], Values(tree, @"(?i)/checks/rich_a~", "container"));
        Assert.Equal(2, tree.Keys.Count(k => Regex.IsMatch(k, @"^datastores/sales/checks/customers/notNull__x_y~[0-9a-f]{6}\.yaml$")));
        // Only the clashing names carry a hash; the others keep the plain path.
        Assert.Equal(3, tree.Keys.Count(k => Regex.IsMatch(k, @"^connections/conn_a~[0-9a-f]{6}\.yaml$")));
        Assert.Equal(3, tree.Keys.Count(k => Regex.IsMatch(k, @"^datastores/ds_a~[0-9a-f]{6}/_datastore\.yaml$")));
        Assert.Contains("connections/source.yaml", tree.Keys);

        await using var _ = await first.AssertRoundTripsAsync(tree);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task WhenAClashEndsExportMovesTheSurvivorToItsPlainPathAndRemovesTheOldFiles(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        await BuildAsync(world);
        await world.AssertExportsAsync("exported");

        var admin = world.Server.Admin;
        foreach (var (kindPath, name) in new[] { ("datastores", "ds a"), ("datastores", "ds/a"), ("connections", "conn a"), ("connections", "conn/a") })
        {
            var items = (await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/{kindPath}")).GetProperty("items").EnumerateArray();
            var id = items.Single(i => i.GetProperty("name").GetString() == name).GetProperty("id").GetInt32();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/{kindPath}/{id}")).StatusCode);
        }
        var again = await world.AssertExportsAsync("exported");
        Assert.Contains("6 removed", again.Stdout);
        var tree = FullConfigWorld.ReadTree(Path.Combine(world.Cli.WorkingDirectory, "exported"));
        Assert.Equal(["connections/conn_a.yaml", "connections/source.yaml"], tree.Keys.Where(k => k.StartsWith("connections/")));
        Assert.Equal(["datastores/ds_a/_datastore.yaml", "datastores/sales/_datastore.yaml"], tree.Keys.Where(k => k.EndsWith("/_datastore.yaml")));
        Assert.Equal(["ds_a", "sales"], Directory.GetDirectories(Path.Combine(world.Cli.WorkingDirectory, "exported", "datastores")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConnectionsWhoseSecretVariablesWouldClashEachGetTheirOwnAndImportAsksForEach(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        using var cli = new CliRunner(server);
        foreach (var (name, password) in new[] { ("pw-a", "first"), ("pw.a", "second"), ("other", "third") })
            await SyncApi.CreateConnectionAsync(server.Admin, new { name, type = "postgresql", host = "localhost", port = 5432, username = "u", password, database = "d" });

        var export = await cli.RunAsync("config", "export", "--output", "exported");
        Assert.True(export.ExitCode == 0, export.Output);
        var tree = FullConfigWorld.ReadTree(Path.Combine(cli.WorkingDirectory, "exported"));
        var variables = new[] { "pw-a", "pw.a" }.Select(n => Regex.Match(Encoding.UTF8.GetString(tree[$"connections/{n}.yaml"]), @"password: \$\{(\w+)\}").Groups[1].Value).ToList();
        Assert.All(variables, v => Assert.Matches(@"^PW_A_PASSWORD_[0-9A-F]{6}$", v));
        Assert.NotEqual(variables[0], variables[1]);
        Assert.Contains("password: ${OTHER_PASSWORD}\n", Encoding.UTF8.GetString(tree["connections/other.yaml"]));
        Assert.Contains($"before importing: {string.Join(", ", variables.Append("OTHER_PASSWORD").Order(StringComparer.Ordinal))}", export.Stdout);

        await using var target = await QuarryTestServer.StartAsync(kind);
        using var importer = new CliRunner(target);
        Directory.Move(Path.Combine(cli.WorkingDirectory, "exported"), Path.Combine(importer.WorkingDirectory, "exported"));
        importer.Set("OTHER_PASSWORD", "third").Set(variables[0], "first");
        var missing = await importer.RunAsync("config", "import", "--input", "exported");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains(variables[1], missing.Output);
        Assert.DoesNotContain(variables[0], missing.Output);

        var import = await importer.Set(variables[1], "second").RunAsync("config", "import", "--input", "exported");
        Assert.True(import.ExitCode == 0, import.Output);
    }

    private static readonly string[] ConfigKinds = ["connections", "datastores", "containers", "computed_fields", "checks"];

    /// <summary>The value of a top-level key in every file whose path matches, sorted.</summary>
    private static List<string> Values(SortedDictionary<string, byte[]> tree, string pathPattern, string key) =>
    [
        .. tree.Where(f => Regex.IsMatch(f.Key, pathPattern))
            .Select(f => Regex.Match(Encoding.UTF8.GetString(f.Value), $@"(?m)^{key}: ""?(.*?)""?$").Groups[1].Value)
            .Order(StringComparer.Ordinal),
    ];
}
