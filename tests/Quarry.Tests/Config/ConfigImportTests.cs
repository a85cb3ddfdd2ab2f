namespace Quarry.Tests.Config;

/// <summary>
/// The config-as-code workflow through the real command tree against a real server: dry run, apply, re-run, change.
/// Each test starts its own server: they count and snapshot every row of the store.
/// </summary>
public sealed class ConfigImportTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DryRunListsWhatWouldBeCreatedAndWritesNothing(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        var before = await world.Server.SnapshotAsync();

        var result = await world.ImportAsync("--dry-run");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("[DRY RUN] Would create connection: warehouse-prod-db", result.Stdout);
        Assert.Contains("[DRY RUN] Would create connection: data-lake-prod", result.Stdout);
        Assert.Contains("[DRY RUN] Would create datastore: warehouse-prod", result.Stdout);
        Assert.Contains("[DRY RUN] Would create datastore group: production", result.Stdout);
        Assert.Contains("Import Summary", result.Stdout);
        Assert.Contains("┃ Resource", result.Stdout);
        var table = ConfigFolders.Squeeze(result.Stdout);
        Assert.Contains(ConfigFolders.Row("Connections", 3, 0, 0, 0), table);
        Assert.Contains(ConfigFolders.Row("Datastores", 4, 0, 0, 0), table);
        Assert.Equal(before, await world.Server.SnapshotAsync());
        Assert.Equal((0, 0, 0), await world.Server.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ApplyCreatesConnectionsDatastoresGroupAndEnrichmentLink(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        var server = world.Server;

        var result = await world.ImportAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Created connection: warehouse-prod-db", result.Stdout);
        Assert.Contains("Created datastore: warehouse-enrichment", result.Stdout);
        // Enrichment datastores are created before the datastores that link to them.
        Assert.True(result.Stdout.IndexOf("Created datastore: warehouse-enrichment", StringComparison.Ordinal)
            < result.Stdout.IndexOf("Created datastore: warehouse-prod\n", StringComparison.Ordinal));
        Assert.Equal((3, 4, 1), await server.CountAsync());

        var warehouse = await server.WithDbAsync(db => db.Datastores.AsNoTracking().Include(d => d.Tags).Include(d => d.Connection)
            .Include(d => d.EnrichmentDatastore).Include(d => d.Group).SingleAsync(d => d.NameKey == "warehouse-prod"));
        Assert.Equal("warehouse-prod-db", warehouse.Connection!.Name);
        Assert.Equal(["production", "warehouse"], warehouse.Tags.Select(t => t.Name).Order());
        Assert.Equal("warehouse-enrichment", warehouse.EnrichmentDatastore!.Name);
        Assert.Equal("production", warehouse.Group!.Name);
        Assert.Equal("quarry-config", warehouse.ConfigNamespace);
        var namespaces = await server.WithDbAsync(async db =>
            (await db.Connections.Select(c => c.ConfigNamespace).ToListAsync())
            .Concat(await db.DatastoreGroups.Select(g => g.ConfigNamespace).ToListAsync()).Distinct().ToList());
        Assert.Equal(["quarry-config"], namespaces);

        var connection = await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/connections?name=warehouse-prod-db");
        var stored = connection.GetProperty("items")[0];
        Assert.Equal("warehouse.example.com", stored.GetProperty("host").GetString());
        Assert.True(stored.GetProperty("password_set").GetBoolean());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task UnchangedReRunReportsEverythingUnchangedAndWritesNothing(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync()).ExitCode);
        var before = await world.Server.SnapshotAsync();

        var again = await world.ImportAsync();
        var json = await world.ImportAsync("--dry-run", "--detailed-exitcode", "--format", "json");

        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.DoesNotContain("Created ", again.Stdout.Replace("Created ┃", ""));
        Assert.DoesNotContain("Updated ", again.Stdout.Replace("Updated ┃", ""));
        var table = ConfigFolders.Squeeze(again.Stdout);
        Assert.Contains(ConfigFolders.Row("Connections", 0, 0, 3, 0), table);
        Assert.Contains(ConfigFolders.Row("Datastores", 0, 0, 4, 0), table);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        var document = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.All(document.GetProperty("items").EnumerateArray(), i => Assert.Equal("unchanged", i.GetProperty("action").GetString()));
        Assert.False(document.GetProperty("changes_pending").GetBoolean());
        Assert.Equal(before, await world.Server.SnapshotAsync());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task OneChangedFieldGivesExactlyOneUpdateWithItsDiff(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync()).ExitCode);
        var file = Path.Combine(world.Root, "connections/analytics-prod-db.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("port: 5432", "port: 5433"));

        var plan = await world.ImportAsync("--dry-run", "--detailed-exitcode");
        var apply = await world.ImportAsync();

        Assert.Equal(ExitCodes.ChangesPending, plan.ExitCode);
        Assert.Equal(["[DRY RUN] Would update connection: analytics-prod-db", "    ~ port: 5432 → 5433"],
            plan.Stdout.Split('\n').Where(l => l.StartsWith("[DRY RUN]", StringComparison.Ordinal) || l.StartsWith("    ~", StringComparison.Ordinal)));
        Assert.Contains(ConfigFolders.Row("Connections", 0, 1, 2, 0), ConfigFolders.Squeeze(plan.Stdout));
        Assert.Equal(ExitCodes.Success, apply.ExitCode);
        Assert.Contains("Updated connection: analytics-prod-db\n    ~ port: 5432 → 5433", apply.Stdout);
        Assert.Equal(5433, await world.Server.WithDbAsync(db => db.Connections.Where(c => c.NameKey == "analytics-prod-db").Select(c => c.Port).SingleAsync()));
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync("--dry-run", "--detailed-exitcode")).ExitCode);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ChangedPasswordIsAnUpdateThatNeverShowsAValue(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        var first = await world.ImportAsync("--format", "json");
        const string newPassword = "n3w-W4rehouse-p4ss";
        world.Cli.Set("WAREHOUSE_PASSWORD", newPassword);

        var plan = await world.ImportAsync("--dry-run");
        var json = await world.ImportAsync("--format", "json");

        Assert.Contains("[DRY RUN] Would update connection: warehouse-prod-db\n    ~ password: (sensitive value changed)", plan.Stdout);
        var item = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == "warehouse-prod-db");
        Assert.Equal("update", item.GetProperty("action").GetString());
        var change = Assert.Single(item.GetProperty("changes").EnumerateArray());
        Assert.True(change.GetProperty("sensitive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, change.GetProperty("to").ValueKind);
        foreach (var output in new[] { first.Output, plan.Output, json.Output, world.Server.Logs.All })
            foreach (var secret in new[] { ConfigFolders.WarehousePassword, ConfigFolders.AnalyticsPassword, newPassword })
                Assert.DoesNotContain(secret, output);
        var storeText = System.Text.Encoding.UTF8.GetString(await world.Server.ReadStoreBytesAsync());
        Assert.DoesNotContain(newPassword, storeText);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task IncludeDatastoresUsesConnectionsThatExistOnlyOnTheServer(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync("--include", "connections")).ExitCode);
        Assert.Equal((3, 0, 0), await world.Server.CountAsync());
        // The connection files are gone (and one is broken): --include datastores must not read them.
        Directory.Delete(Path.Combine(world.Root, "connections"), recursive: true);
        world.Write("connections/broken.yaml", "name: [");

        var result = await world.ImportAsync("--include", "datastores");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Created datastore: warehouse-prod", result.Stdout);
        Assert.DoesNotContain("Connections", result.Stdout);
        Assert.Equal((3, 4, 1), await world.Server.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DatastoresFolderAndSingleDatastoreFolderAreAccepted(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync("--include", "connections")).ExitCode);

        var one = await world.Cli.ImportAsync("quarry-config/datastores/data-lake-prod");
        var all = await world.Cli.ImportAsync("quarry-config/datastores", "--dry-run");

        Assert.Equal(ExitCodes.Success, one.ExitCode);
        Assert.Contains("Created datastore: data-lake-prod", one.Stdout);
        Assert.DoesNotContain("analytics-prod", one.Stdout);
        Assert.Equal(ExitCodes.Success, all.ExitCode);
        Assert.Contains(ConfigFolders.Row("Datastores", 3, 0, 1, 0), ConfigFolders.Squeeze(all.Stdout));
        // The namespace is the config root's name even when a part of it is imported.
        Assert.Equal("quarry-config", await world.Server.WithDbAsync(db => db.Datastores.Select(d => d.ConfigNamespace).SingleAsync()));
    }
}

/// <summary><c>--sync</c> against the real operations endpoint and a real SQLite source database.</summary>
public sealed class ConfigImportSyncTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SyncStartsASyncOfEachCreatedDatastoreAfterApplying(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartAsync(kind, "lake-config");
        var source = Path.Combine(world.Cli.WorkingDirectory, "lake.db");
        await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={source}"))
        {
            await sqlite.OpenAsync();
            await using var create = sqlite.CreateCommand();
            create.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);";
            await create.ExecuteNonQueryAsync();
        }
        world.Write("connections/lake.yaml", $"name: lake\ntype: sqlite\npath: {source}");
        world.Write("datastores/lake/_datastore.yaml", "name: lake\nconnection: lake");
        world.Write("datastores/lake-enrichment/_datastore.yaml", "name: lake-enrichment\nconnection: lake\nenrichment_only: true");

        var result = await world.ImportAsync("--sync");
        var again = await world.ImportAsync("--sync");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var started = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"Started sync for datastore: lake \(operation (\d+)\)");
        Assert.True(started.Success, result.Stdout);
        Assert.DoesNotContain("Started sync for datastore: lake-enrichment", result.Stdout);
        var operation = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/operations/{started.Groups[1].Value}");
        Assert.Equal("sync", operation.GetProperty("type").GetString());
        // Nothing changed on the re-run, so nothing is synced again.
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.DoesNotContain("Started sync", again.Stdout);
    }
}
