namespace Quarry.Tests.Sync;

public sealed class OperationQueueTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AbortEndsAQueuedOperationAtOnceAndARunningOneWithoutWriting(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store, o => o.Workers = 1);
        var connection = await shop.ConnectAsync(server.Admin);
        var first = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "first", null, "main");
        var second = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "second", null, "main");

        // An exclusive lock on the source file holds the first sync inside its read, so it is running when aborted,
        // and, with one worker, the second sync waits in the queue.
        await using var locker = await SourceDatabases.LockSqliteAsync(shop.Main);
        var running = await SyncApi.StartSyncAsync(server.Admin, first);
        await SyncApi.PollAsync(() => QuarryTestServer.GetJsonAsync<OperationDto>(server.Admin, $"/api/operations/{running.Id}"),
            o => o.State == OperationState.Running, "the first sync to start");
        var queued = await SyncApi.StartSyncAsync(server.Admin, second);

        var abortedQueued = await server.Admin.PutAsync($"/api/operations/abort/{queued.Id}", null);
        abortedQueued.EnsureSuccessStatusCode();
        var queuedNow = await QuarryTestServer.GetJsonAsync<OperationDto>(server.Admin, $"/api/operations/{queued.Id}");
        Assert.Equal(OperationResult.Aborted, queuedNow.Result);
        Assert.Null(queuedNow.StartTime);

        (await server.Admin.PutAsync($"/api/operations/abort/{running.Id}", null)).EnsureSuccessStatusCode();
        await using (var rollback = locker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        var aborted = await SyncApi.WaitAsync(server.Admin, running.Id);
        Assert.Equal(OperationResult.Aborted, aborted.Result);
        Assert.Empty(await SyncApi.ContainersAsync(server.Admin, first, includeRemoved: true));

        // Aborting a finished operation changes nothing and answers it as it is, as Qualytics clients expect.
        var again = await server.Admin.PutAsync($"/api/operations/abort/{running.Id}", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(OperationResult.Aborted, (await SyncApi.WaitAsync(server.Admin, running.Id)).Result);
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, first)).Result);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnOperationLeftRunningByAStoppedServerIsFailed(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var datastore = await shop.CreateDatastoreAsync(server.Admin);
        var orphan = await SyncApi.EnqueueInStoreAsync(server, db =>
        {
            var operation = OperationQueue.EnqueueSync(db, datastore, null);
            operation.State = OperationState.Running;
            operation.WorkerId = "gone-instance";
            operation.StartTime = operation.HeartbeatAt = DateTime.UtcNow.AddMinutes(-5);
            return operation;
        });

        var failed = await SyncApi.WaitAsync(server.Admin, orphan);
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains("server running this operation stopped", failed.Message);
        // The datastore is free again: a new sync runs.
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, datastore)).Result);
    }

    [Fact]
    public async Task TwoServersOnOnePostgresStoreRunFiftyQueuedSyncsEachExactlyOnce()
    {
        await using var source = await PostgresSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.PostgreSql);
        await using var sibling = await server.StartSiblingAsync();
        var connection = await source.ConnectAsync(server.Admin);
        var datastores = new List<int>();
        for (var i = 0; i < 50; i++) datastores.Add(await source.CreateDatastoreAsync(server.Admin, connection, $"sales-{i}", "sales"));

        // Half queued through each instance, so each is woken by its own signal as well as polling.
        var first = await QuarryTestServer.PostJsonAsync<List<OperationDto>>(server.Admin, "/api/operations/run",
            new { type = "sync", datastore_ids = datastores[..25] });
        var second = await QuarryTestServer.PostJsonAsync<List<OperationDto>>(sibling.Admin, "/api/operations/run",
            new { type = "sync", datastore_ids = datastores[25..] });
        var ids = first.Concat(second).Select(o => o.Id).ToList();
        Assert.Equal(50, ids.Distinct().Count());
        foreach (var id in ids) await SyncApi.WaitAsync(server.Admin, id, seconds: 120);

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var rows = await db.Operations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync();
        Assert.All(rows, o => Assert.Equal(OperationResult.Success, o.Result));
        Assert.All(rows, o => Assert.NotNull(o.WorkerId));
        // Each sync ran once: its "reading" line appears exactly once across both instances' logs.
        var logs = server.Logs.Lines.Concat(sibling.Logs.Lines).ToList();
        foreach (var id in ids) Assert.Single(logs, line => line.Contains($"Sync {id}: reading"));
        Assert.Equal(2, rows.Select(o => o.WorkerId).Distinct().Count());
        // Each datastore was written once: six containers each, no duplicates.
        var counts = await db.Containers.AsNoTracking().Where(c => datastores.Contains(c.DatastoreId)).GroupBy(c => c.DatastoreId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(50, counts.Count);
        Assert.All(counts, c => Assert.Equal(6, c));
    }
}
