using Microsoft.Data.Sqlite;

namespace Quarry.Tests.Access;

/// <summary>
/// Moving a datastore to another connection, database or schema (docs/api.md "Moving a datastore"): it needs the
/// Manager role, as creating a datastore there does, and the catalog read from the old source is stale until a sync of
/// the new one, so nothing is validated against tables Quarry never read from it.
/// </summary>
public sealed class AccessMatrixRepointingTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnEditorCannotMoveADatastoreOntoAnotherSourceByAnyRoute(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        // A Manager's connection the Editor wants to read through their own datastore: here, Quarry's own store would do.
        var privileged = await admin.CreateIdAsync("/api/connections", new { name = "privileged", type = "sqlite", path = OtherSource(world, "privileged.db") });
        var editor = world.Callers[FeatureCaller.MemberEditor].Client;
        var path = $"/api/datastores/{world.Datastore}";

        var byId = await editor.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Put, path, new { connection_id = privileged });
        Assert.Contains("Moving datastore 'in-team-t' to another connection, database or schema", byId.GetProperty("detail").GetString());
        Assert.Contains("needs the Manager role", byId.GetProperty("detail").GetString());
        await editor.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Put, path, new { connection_name = "privileged" });
        await editor.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Put, path, new { schema = "temp" });
        // A connection that does not exist gets the same answer: the refusal comes before the lookup.
        var missing = await editor.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Put, path, new { connection_id = 999_999 });
        Assert.Equal(byId.GetProperty("detail").GetString(), missing.GetProperty("detail").GetString());

        var applied = await editor.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply",
            new { datastores = new[] { new { name = "in-team-t", connection = "privileged" } } });
        Assert.False(applied.GetProperty("applied").GetBoolean(), applied.ToString());
        var item = applied.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "datastore");
        Assert.Equal("forbidden", item.GetProperty("errors")[0].GetProperty("code").GetString());

        var after = await admin.ReadAsync(path);
        Assert.Equal(world.Connection, after.GetProperty("connection_id").GetInt32());
        Assert.Equal("main", after.GetProperty("schema").GetString());
        Assert.False(after.GetProperty("catalog_stale").GetBoolean());
        // What an Editor may change, it still may; naming the connection it already uses is no move.
        await editor.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, path, new { description = "kept", connection_id = world.Connection, schema = "main" });
        Assert.False((await admin.ReadAsync(path)).GetProperty("catalog_stale").GetBoolean());

        var manager = await world.Callers[FeatureCaller.Manager].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, path, new { connection_id = privileged });
        Assert.Equal(privileged, manager.GetProperty("connection_id").GetInt32());
        Assert.True(manager.GetProperty("catalog_stale").GetBoolean());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMovedDatastoresCatalogIsStaleUntilASyncOfTheNewSourceAndNothingIsCheckedAgainstItMeanwhile(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var billing = await admin.CreateIdAsync("/api/connections", new { name = "billing", type = "sqlite", path = await BillingSourceAsync(world) });
        var moved = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{world.Datastore}", new { connection_name = "billing" });
        Assert.True(moved.GetProperty("catalog_stale").GetBoolean());
        var listed = (await admin.ReadAsync("/api/datastores?name=in-team-t")).GetProperty("items")[0];
        Assert.True(listed.GetProperty("catalog_stale").GetBoolean());

        // "orders" is in the catalog read from the old source; the new one has no such table.
        var refusals = new (string Path, object Body)[]
        {
            ("/api/quality-checks", new { rule = "notNull", container_id = world.Orders, fields = new[] { "amount" } }),
            ("/api/quality-checks", new { rule = "notNull", datastore_id = world.Datastore, container_name = "orders", fields = new[] { "amount" } }),
            ("/api/computed-fields", world.ComputedFieldBody()),
            ("/api/computed-containers", world.ComputedContainerBody()),
        };
        foreach (var (path, body) in refusals)
        {
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, path, body);
            Assert.Contains($"datastore 'in-team-t' was moved to another source", problem.GetProperty("detail").GetString());
            Assert.Contains($"sync it first: quarry operations sync --datastore-id {world.Datastore}", problem.GetProperty("detail").GetString());
        }
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/quality-checks/{world.Check}", new { description = "changed" });
        var planned = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", new
        {
            checks = new[] { new { datastore = "in-team-t", container = "orders", rule = "notNull", fields = new[] { "status" } } },
        });
        var check = planned.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "quality_check");
        Assert.Equal("failed", check.GetProperty("action").GetString());
        Assert.Contains("was moved to another source", check.GetProperty("errors")[0].GetProperty("message").GetString());

        var sync = await SyncApi.SyncAsync(admin, world.Datastore);
        Assert.True(sync.Result == OperationResult.Success, sync.Message);
        Assert.False((await admin.ReadAsync($"/api/datastores/{world.Datastore}")).GetProperty("catalog_stale").GetBoolean());
        var containers = await SyncApi.ContainersAsync(admin, world.Datastore, includeRemoved: true);
        Assert.True(containers.Single(c => c.Name == "orders").Removed);
        await admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", datastore_id = world.Datastore, container_name = "invoices", fields = new[] { "total" } });
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AConfigThatMovesADatastoreAndChecksItInOneRequestIsRefusedTheChecksUntilASync(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        await admin.CreateIdAsync("/api/connections", new { name = "billing", type = "sqlite", path = await BillingSourceAsync(world) });
        var desired = new
        {
            datastores = new[] { new { name = "in-team-t", connection = "billing" } },
            // The old catalog has orders.status: without the stale mark this plan would say "create".
            checks = new[] { new { datastore = "in-team-t", container = "orders", rule = "notNull", fields = new[] { "status" } } },
        };
        foreach (var path in new[] { "/api/config/plan", "/api/config/apply" })
        {
            var result = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, path, desired);
            var check = result.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "quality_check");
            Assert.True(check.GetProperty("action").GetString() == "failed", $"{path}: {result}");
            Assert.Contains("sync it first", check.GetProperty("errors")[0].GetProperty("message").GetString());
        }
        var untouched = await admin.ReadAsync($"/api/datastores/{world.Datastore}");
        Assert.Equal(world.Connection, untouched.GetProperty("connection_id").GetInt32());
    }

    private static string OtherSource(FeatureAccessWorld world, string file) => Path.Combine(Path.GetDirectoryName(world.SourcePath)!, file);

    /// <summary>A second real SQLite source whose only table is <c>invoices</c>.</summary>
    private static async Task<string> BillingSourceAsync(FeatureAccessWorld world)
    {
        var path = OtherSource(world, "billing.db");
        await using var sqlite = new SqliteConnection($"Data Source={path};Pooling=False");
        await sqlite.OpenAsync();
        await using var create = sqlite.CreateCommand();
        create.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total NUMERIC); INSERT INTO invoices VALUES (1, 12.5);";
        await create.ExecuteNonQueryAsync();
        return path;
    }
}
