using Quarry.Tests.Enrichment;

namespace Quarry.Tests.Scan;

/// <summary>
/// Scans, profiles and materializes read the source through the catalog Quarry holds for it, so each refuses, before
/// reading anything, a catalog that does not describe the source: one never synced, or one moved to another source since
/// its last sync. They refuse in the same words, naming the sync to run and what the run did not do.
/// </summary>
public sealed class SourceCatalogRefusalTests
{
    [Fact]
    public async Task AProfileOfADatastoreMovedToAnotherSourceFailsSayingToSyncItAndStoresNothing()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ScanRuleTests.Orders);
        using var cli = new CliRunner(world.Server);
        var billing = Path.Combine(Path.GetDirectoryName(world.SqlitePath!)!, "billing.db");
        await SourceDatabases.ExecuteSqliteAsync(billing, "CREATE TABLE invoices (id integer, total numeric(10,2)); INSERT INTO invoices VALUES (1, 9.5);");
        await SyncApi.CreateConnectionAsync(world.Admin, new { name = "billing", type = "sqlite", path = billing });
        var moved = await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{world.DatastoreId}", new { connection_name = "billing" });
        Assert.True(moved.GetProperty("catalog_stale").GetBoolean());

        var profile = await cli.RunAsync("operations", "profile", "--datastore-id", $"{world.DatastoreId}", "--wait");
        Assert.Equal(ExitCodes.Failure, profile.ExitCode);
        var refused = await LatestAsync(world.Admin, world.DatastoreId, "profile");
        Assert.Equal(OperationResult.Failure, refused.Result);
        Assert.Equal($"datastore 'shop' was moved to another source, and its catalog still describes the old one; sync it first: "
            + $"quarry operations sync --datastore-id {world.DatastoreId} --wait; no profile was stored and no check was changed.", refused.Message);
        Assert.Equal(0, await FieldProfilesAsync(world));

        // Once the new source is synced, the same datastore profiles it.
        await world.SyncAsync();
        var after = await cli.RunAsync("operations", "profile", "--datastore-id", $"{world.DatastoreId}", "--wait");
        Assert.True(after.ExitCode == ExitCodes.Success, after.Output);
        Assert.Equal(2, await FieldProfilesAsync(world));
    }

    [Fact]
    public async Task AMaterializeOfADatastoreNeverSyncedFailsSayingToSyncItInsteadOfCopyingNothing()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        await using var target = await EnrichmentTarget.CreateAsync(server, EnrichmentKind.Sqlite);
        var source = Path.Combine(Path.GetDirectoryName(target.SqlitePath!)!, "never.db");
        await SourceDatabases.ExecuteSqliteAsync(source, "CREATE TABLE t (id integer); INSERT INTO t VALUES (1);");
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new { name = "never-conn", type = "sqlite", path = source });
        var never = await server.Admin.CreateIdAsync("/api/datastores", new
        {
            name = "never", connection_id = connection, schema = "main", enrichment_datastore_id = target.DatastoreId, enrichment_prefix = "_never",
        });

        var refused = await MaterializeAsync(server.Admin, never, null);
        Assert.Equal(OperationResult.Failure, refused.Result);
        Assert.Equal($"datastore 'never' has never been synced, so Quarry knows none of its tables; sync it first: "
            + $"quarry operations sync --datastore-id {never} --wait; nothing was materialized.", refused.Message);

        // Once synced, the same datastore materializes the table it names.
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, never)).Result);
        var after = await MaterializeAsync(server.Admin, never, ["t"]);
        Assert.True(after.Result == OperationResult.Success, after.Message);
        Assert.Single((await target.RowsAsync("_never_mat_t"))!);
    }

    private static async Task<OperationDto> MaterializeAsync(HttpClient admin, int datastore, string[]? containers)
    {
        var queued = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run",
            new { type = "materialize", datastore_id = datastore, container_names = containers });
        return await SyncApi.WaitAsync(admin, queued.GetProperty("id").GetInt32());
    }

    private static async Task<OperationDto> LatestAsync(HttpClient admin, int datastore, string type)
    {
        var page = await admin.ReadAsync($"/api/operations?datastore={datastore}&operation_type={type}");
        var id = page.GetProperty("items")[0].GetProperty("id").GetInt32();
        return await QuarryTestServer.GetJsonAsync<OperationDto>(admin, $"/api/operations/{id}");
    }

    private static async Task<int> FieldProfilesAsync(ScanWorld world)
    {
        await using var scope = world.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        return await db.FieldProfiles.CountAsync(p => p.DatastoreId == world.DatastoreId);
    }
}
