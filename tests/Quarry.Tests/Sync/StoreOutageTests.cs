namespace Quarry.Tests.Sync;

/// <summary>
/// Two instances share a PostgreSQL store that really stops and starts again while syncs are in flight (a cluster of
/// this test's own, so the shared test cluster is never restarted).
/// </summary>
public sealed class StoreOutageTests
{
    private const int Ending = 8, Hanging = 4;

    [Fact]
    public async Task SyncsInFlightWhenTheStoreRestartsAllEndAndNewSyncsRunOnceItIsBack()
    {
        await using var store = await ThrowawayPostgres.StartAsync();
        await store.ExecuteAsync("CREATE DATABASE quarry");
        await using var source = await PostgresSource.CreateAsync();
        // Sources that accept a connection and never answer: "ending" is closed during the outage, so its syncs end
        // (fail) while the store is down; "hanging" keeps its syncs running through the outage until they are aborted.
        var ending = new SilentServer();
        var endingClosed = false;
        await using var hanging = new SilentServer();
        try
        {
            await using var first = await QuarryTestServer.StartAsync(StoreKind.PostgreSql, o => o.Workers = 6, database: store.ConnectionString("quarry"));
            await using var second = await first.StartSiblingAsync(o => o.Workers = 6);
            var admin = first.Admin;
            var endingIds = await StartSyncsAsync(admin, ending, "ending", Ending);
            var hangingIds = await StartSyncsAsync(admin, hanging, "hanging", Hanging);
            await SyncApi.PollAsync(() => Task.FromResult((ending.Accepted, hanging.Accepted)), a => a == (Ending, Hanging), "all 12 syncs to be connecting");

            await store.StopAsync();
            using (var during = await admin.GetAsync("/api/datastores"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
                Assert.NotNull(during.Headers.RetryAfter);
                Assert.Contains("can't be reached", await during.Content.ReadAsStringAsync());
            }
            await ending.DisposeAsync();
            endingClosed = true;
            await SyncApi.PollAsync(() => Task.FromResult(UnrecordedCount(first) + UnrecordedCount(second)), n => n == Ending,
                "the ending syncs to finish while the store is down");

            await store.StartAgainAsync();
            foreach (var id in endingIds)
            {
                var ended = await WaitWhileStoreRecoversAsync(admin, id, o => o.Result != OperationResult.Running);
                Assert.Equal(OperationResult.Failure, ended.Result);
                Assert.Contains($"127.0.0.1:{ending.Port}", ended.Message);
            }

            // The syncs that ran through the outage still run, and an abort still stops them.
            foreach (var id in hangingIds)
            {
                Assert.Equal(OperationResult.Running, (await QuarryTestServer.GetJsonAsync<OperationDto>(admin, $"/api/operations/{id}")).Result);
                (await admin.PutAsync($"/api/operations/abort/{id}", null)).EnsureSuccessStatusCode();
            }
            foreach (var id in hangingIds)
                Assert.Equal(OperationResult.Aborted, (await SyncApi.WaitAsync(admin, id)).Result);

            // New work is claimed again.
            var connection = await source.ConnectAsync(admin);
            var sales = await source.CreateDatastoreAsync(admin, connection, "sales", "sales");
            var synced = await SyncApi.SyncAsync(admin, sales);
            Assert.True(synced.Result == OperationResult.Success, synced.Message);
            Assert.Equal(0, (await admin.ReadAsync("/api/operations?result=running")).GetProperty("total").GetInt32());
            Assert.DoesNotContain("Unhandled error", first.Logs.All + second.Logs.All);
        }
        finally
        {
            if (!endingClosed) await ending.DisposeAsync();
        }
    }

    private static async Task<List<int>> StartSyncsAsync(HttpClient admin, SilentServer silent, string name, int count)
    {
        var connection = await SyncApi.CreateConnectionAsync(admin, new
        {
            name, type = "postgresql", host = "127.0.0.1", port = silent.Port, username = "quarry", password = "unused", database = "sales",
            parameters = new { connect_timeout = "300" },
        });
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var datastore = await SyncApi.CreateDatastoreAsync(admin, connection, $"{name}-{i}", "sales", $"schema_{i}");
            ids.Add((await SyncApi.StartSyncAsync(admin, datastore)).Id);
        }
        return ids;
    }

    private static int UnrecordedCount(QuarryTestServer server) => server.Logs.Lines.Count(l => l.Contains(": failure: "));

    /// <summary>Polls an operation; right after the store is back a request may still get 503, which only means "not yet".</summary>
    private static async Task<OperationDto> WaitWhileStoreRecoversAsync(HttpClient client, int id, Func<OperationDto, bool> condition)
    {
        var operation = await SyncApi.PollAsync<OperationDto?>(async () =>
        {
            using var response = await client.GetAsync($"/api/operations/{id}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return null;
            response.EnsureSuccessStatusCode();
            return System.Text.Json.JsonSerializer.Deserialize<OperationDto>(await response.Content.ReadAsStringAsync(), QuarryTestServer.Json);
        }, o => o is not null && condition(o), $"operation {id}");
        return operation!;
    }
}
