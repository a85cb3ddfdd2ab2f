namespace Quarry.Tests.Sync;

/// <summary>
/// MySQL (on the throwaway MariaDB) and files connections through the real server: schemas discovered without a catalog
/// level, datastores created in bulk and synced, and a later sync that sees what was added and removed.
/// </summary>
public sealed class NewConnectorSyncTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMySqlConnectionIsDiscoveredCreatedInBulkAndSyncedAddsAndRemovals(StoreKind store)
    {
        await using var source = await MariaDbSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, TestMariaDb.Connection("shop", source.User, source.Password));

        Assert.Empty(await QuarryTestServer.GetJsonAsync<JsonElement[]>(server.Admin, $"/api/connections/{connection}/catalogs"));
        var schemas = await QuarryTestServer.GetJsonAsync<JsonElement[]>(server.Admin, $"/api/connections/{connection}/schemas");
        Assert.Equal([source.Archive, source.Sales], schemas.Select(s => s.GetProperty("name").GetString()));

        var sales = await BulkCreateAsync(server, connection, source.Sales, "shop_{{ schema }}");
        var containers = await SyncApi.ContainersAsync(server.Admin, sales);
        Assert.Equal(["Order Items:table", "café:table", "customer_names:view", "customers:table"],
            containers.Select(c => $"{c.Name}:{c.ContainerType}").Order(StringComparer.Ordinal));

        var (s, q) = (TestMariaDb.Quote(source.Sales), (Func<string, string>)TestMariaDb.Quote);
        await TestMariaDb.ExecuteAsync($"DROP VIEW {s}.customer_names; ALTER TABLE {s}.customers ADD COLUMN {q("Joined On")} date; CREATE TABLE {s}.refunds (id int)");
        var resync = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Success, resync.Result);

        var after = await SyncApi.ContainersAsync(server.Admin, sales, includeRemoved: true);
        Assert.True(after.Single(c => c.Name == "customer_names").Removed);
        Assert.False(after.Single(c => c.Name == "refunds").Removed);
        var fields = await SyncApi.FieldsAsync(server.Admin, after.Single(c => c.Name == "customers").Id);
        Assert.Equal("5 Joined On date", fields.Select(f => $"{f.Ordinal} {f.Name} {f.DataType}").Last());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AFilesConnectionIsDiscoveredCreatedInBulkAndSyncedWithoutTouchingTheFolder(StoreKind store)
    {
        var root = Directory.CreateTempSubdirectory("quarry-files-sync-").FullName;
        try
        {
            await FilesSource.CreateAsync(root);
            await using var server = await QuarryTestServer.StartAsync(store);
            var connection = await SyncApi.CreateConnectionAsync(server.Admin, new { name = "lake", type = "dfs", path = root });
            var stored = await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, $"/api/connections/{connection}");
            Assert.Equal("files", stored.GetProperty("type").GetString());

            var schemas = await QuarryTestServer.GetJsonAsync<JsonElement[]>(server.Admin, $"/api/connections/{connection}/schemas");
            Assert.Equal(["archive", "sales"], schemas.Select(s => s.GetProperty("name").GetString()));
            var before = FilesSource.Snapshot(root);

            var sales = await BulkCreateAsync(server, connection, "sales", "lake_{{ schema }}");
            Assert.Equal(["Order Items", "café", "customer_names", "customers"], (await SyncApi.ContainersAsync(server.Admin, sales)).Select(c => c.Name).Order(StringComparer.Ordinal));
            Assert.Equal(before, FilesSource.Snapshot(root));

            // A new partition joins its container (and its new column appears); a deleted file's container is removed.
            await File.WriteAllTextAsync(Path.Combine(root, "sales", "customer_names_2025-03.jsonl"), "{\"id\": 3, \"name\": \"Edsger\", \"country\": \"NL\"}\n");
            File.Delete(Path.Combine(root, "sales", "café.jsonl"));
            Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, sales)).Result);

            var after = await SyncApi.ContainersAsync(server.Admin, sales, includeRemoved: true);
            Assert.True(after.Single(c => c.Name == "café").Removed);
            var names = after.Single(c => c.Name == "customer_names");
            Assert.Equal(["id", "name", "country"], (await SyncApi.FieldsAsync(server.Admin, names.Id)).Select(f => f.Name));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    /// <summary>Creates one datastore for <paramref name="schema"/> through the bulk endpoint, then syncs it.</summary>
    private static async Task<int> BulkCreateAsync(QuarryTestServer server, int connection, string schema, string template)
    {
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "Analytics" });
        var response = await server.Admin.PostAsJsonAsync($"/api/connections/{connection}/datastores/bulk",
            new { schemas = new[] { schema }, name_template = template, teams = new[] { "Analytics" } }, QuarryTestServer.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var datastore = JsonDocument.Parse(text).RootElement.GetProperty("created")[0].GetInt32();
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, datastore)).Result);
        return datastore;
    }
}
