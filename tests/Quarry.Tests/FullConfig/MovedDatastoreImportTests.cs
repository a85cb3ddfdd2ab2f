namespace Quarry.Tests.FullConfig;

/// <summary>
/// A config folder that moves a datastore to another schema, or points its connection at another file, and has
/// checks for it: the catalog read from the old source says nothing about the new one, so config import syncs the new
/// source before it plans the checks.
/// </summary>
public sealed class MovedDatastoreImportTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ImportOfAFolderThatMovesADatastoreSyncsItsNewSourceBeforeItsChecks(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var files = world.BaseFiles();
        files["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        var folder = world.Folder("cfg", files);
        await world.AssertImportsAsync(folder);

        // The new schema has customers too (so the old catalog would seem to answer), and invoices, which only a sync of it finds.
        await TestPostgres.ExecuteAsync("""
            CREATE SCHEMA sales_v2;
            CREATE TABLE sales_v2.customers (id integer PRIMARY KEY);
            CREATE TABLE sales_v2.invoices (id integer PRIMARY KEY);
            """, world.Source);
        var datastoreFile = Path.Combine(world.Cli.WorkingDirectory, "cfg/datastores/sales/_datastore.yaml");
        File.WriteAllText(datastoreFile, File.ReadAllText(datastoreFile).Replace("schema: sales\n", "schema: sales_v2\n"));

        var dryRun = await world.AssertImportsAsync(folder, "--dry-run");
        Assert.Contains("'sales' moves (or was moved) to another connection, database or schema: the apply will first apply the connections and datastores, then sync it", dryRun.Stderr);

        var noSync = await world.ImportAsync(folder, "--no-sync");
        Assert.Equal(2, noSync.ExitCode);
        Assert.Contains($"{Path.Combine("cfg", "datastores", "sales", "_datastore.yaml")}", noSync.Stderr);
        Assert.Contains("datastore 'sales' moves (or was moved) to another connection, database or schema", noSync.Stderr);
        Assert.Equal("sales", (await SalesAsync(world)).GetProperty("schema").GetString());

        await world.AssertImportsAsync(folder);
        var sales = await SalesAsync(world);
        Assert.Equal("sales_v2", sales.GetProperty("schema").GetString());
        Assert.False(sales.GetProperty("catalog_stale").GetBoolean());
        var containers = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/containers?datastore={sales.GetProperty("id").GetInt32()}");
        Assert.Contains(containers.GetProperty("items").EnumerateArray(), c => c.GetProperty("name").GetString() == "invoices");
        Assert.Equal(1, (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks")).GetProperty("total").GetInt32());

        // The datastores list says which catalog is out of date: move it back by API, without a sync.
        await world.Server.Admin.ExpectAsync(System.Net.HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{sales.GetProperty("id").GetInt32()}", new { schema = "sales" });
        var list = await world.Cli.RunAsync("datastores", "list");
        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Contains("needs sync", list.Stdout);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ImportOfAFolderThatPointsAConnectionAtAnotherFileSyncsItsDatastoresBeforeTheirChecks(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        using var shop = await SqliteShop.CreateAsync();
        using var copy = await SqliteShop.CreateAsync();
        // The other file has the same tables, so the old catalog would seem to answer for the check, and one more.
        await SourceDatabases.ExecuteSqliteAsync(copy.Main, "CREATE TABLE invoices (id INTEGER PRIMARY KEY);");
        var folder = world.Folder("cfg", new Dictionary<string, string>
        {
            ["connections/source.yaml"] = $"name: source\ntype: sqlite\npath: {shop.Main}\n",
            ["datastores/sales/_datastore.yaml"] = "name: sales\nconnection: source\nschema: main\n",
        });
        await world.AssertImportsAsync(folder);

        world.Folder("cfg", new Dictionary<string, string>
        {
            ["connections/source.yaml"] = $"name: source\ntype: sqlite\npath: {copy.Main}\n",
            ["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n",
        });
        var dryRun = await world.AssertImportsAsync(folder, "--dry-run");
        Assert.Contains("'sales' moves (or was moved) to another connection, database or schema: the apply will first apply the connections and datastores, then sync it", dryRun.Stderr);
        Assert.False((await SalesAsync(world)).GetProperty("catalog_stale").GetBoolean());

        await world.AssertImportsAsync(folder);
        var sales = await SalesAsync(world);
        Assert.False(sales.GetProperty("catalog_stale").GetBoolean());
        var containers = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/containers?datastore={sales.GetProperty("id").GetInt32()}&name=invoices");
        Assert.Equal(1, containers.GetProperty("total").GetInt32());
        Assert.Equal(1, (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks")).GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> SalesAsync(FullConfigWorld world) =>
        (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores?name=sales")).GetProperty("items")[0];
}
