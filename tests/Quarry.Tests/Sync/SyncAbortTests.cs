namespace Quarry.Tests.Sync;

/// <summary>Aborting a sync ends it promptly even while the source database doesn't answer.</summary>
public sealed class SyncAbortTests
{
    /// <summary>Far longer than the wait below: a sync that ends in time was ended by the abort, not by a driver timeout.</summary>
    private const string LongTimeout = "60";

    private static readonly TimeSpan AbortBound = TimeSpan.FromSeconds(20);

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AbortingASyncStuckConnectingToPostgresEndsItAsAborted(StoreKind store)
    {
        await using var silent = new SilentServer();
        await using var server = await QuarryTestServer.StartAsync(store);
        var datastore = await HungDatastoreAsync(server, silent);

        var running = await SyncApi.StartSyncAsync(server.Admin, datastore);
        await SyncApi.PollAsync(() => Task.FromResult(silent.Accepted), accepted => accepted > 0, "the sync to connect");
        (await server.Admin.PutAsync($"/api/operations/abort/{running.Id}", null)).EnsureSuccessStatusCode();

        var aborted = await SyncApi.WaitAsync(server.Admin, running.Id).WaitAsync(AbortBound);
        Assert.Equal(OperationResult.Aborted, aborted.Result);
        Assert.Equal("Aborted by a user; the catalog was left as it was.", aborted.Message);
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("failed unexpectedly"));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ShuttingDownHandsASyncStuckConnectingBackToTheQueueWithoutWaitingForIt(StoreKind store)
    {
        await using var silent = new SilentServer();
        var server = await QuarryTestServer.StartAsync(store);
        Task stopped;
        try
        {
            var datastore = await HungDatastoreAsync(server, silent);
            await SyncApi.StartSyncAsync(server.Admin, datastore);
            await SyncApi.PollAsync(() => Task.FromResult(silent.Accepted), accepted => accepted > 0, "the sync to connect");
        }
        finally
        {
            stopped = server.DisposeAsync().AsTask();
        }

        await stopped.WaitAsync(AbortBound);
        Assert.Contains(server.Logs.Lines, line => line.Contains("Handed 1 unfinished operation(s) back to the queue on shutdown"));
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("failed unexpectedly"));
    }

    [Fact]
    public async Task ASyncToAPostgresThatNeverAnswersFailsWithTheConnectTimeoutAdvice()
    {
        await using var silent = new SilentServer();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new
        {
            name = "hung", type = "postgresql", host = "127.0.0.1", port = silent.Port, username = "quarry", password = "unused", database = "sales",
            parameters = new { connect_timeout = "1" },
        });
        var datastore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "sales", "sales", "public");

        var failed = await SyncApi.SyncAsync(server.Admin, datastore);
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains($"PostgreSQL at 127.0.0.1:{silent.Port} (database 'sales') did not answer in time", failed.Message);
        Assert.Contains("connect_timeout", failed.Message);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AbortingASyncWaitingOnALockedSqliteFileEndsItAsAborted(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new
        {
            name = "shop", type = "sqlite", path = shop.Main, parameters = new { command_timeout = LongTimeout },
        });
        var datastore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop", null, "main");

        // The lock is held until after the sync has ended, so only the abort can end it in time.
        await using var locker = await SourceDatabases.LockSqliteAsync(shop.Main);
        var running = await SyncApi.StartSyncAsync(server.Admin, datastore);
        await SyncApi.PollAsync(() => Task.FromResult(server.Logs.All), logs => logs.Contains($"Sync {running.Id}: reading"), "the sync to start reading");
        (await server.Admin.PutAsync($"/api/operations/abort/{running.Id}", null)).EnsureSuccessStatusCode();

        var aborted = await SyncApi.WaitAsync(server.Admin, running.Id).WaitAsync(AbortBound);
        Assert.Equal(OperationResult.Aborted, aborted.Result);
        Assert.Empty(await SyncApi.ContainersAsync(server.Admin, datastore, includeRemoved: true));
    }

    /// <summary>A PostgreSQL datastore on <paramref name="silent"/>, with a connect_timeout far beyond the test's patience.</summary>
    private static async Task<int> HungDatastoreAsync(QuarryTestServer server, SilentServer silent)
    {
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, new
        {
            name = "hung", type = "postgresql", host = "127.0.0.1", port = silent.Port, username = "quarry", password = "unused", database = "sales",
            parameters = new { connect_timeout = LongTimeout },
        });
        return await SyncApi.CreateDatastoreAsync(server.Admin, connection, "sales", "sales", "public");
    }
}
