using Quarry.Server.Catalog;

namespace Quarry.Tests.Sync;

/// <summary>Small helpers over the real HTTP API for sync tests.</summary>
public static class SyncApi
{
    private sealed record IdDto(int Id);

    public static async Task<int> CreateConnectionAsync(HttpClient client, object body) =>
        (await QuarryTestServer.PostJsonAsync<IdDto>(client, "/api/connections", body)).Id;

    public static async Task<int> CreateDatastoreAsync(HttpClient client, int connectionId, string name, string? database, string schema, string[]? teams = null, bool triggerSync = false) =>
        (await QuarryTestServer.PostJsonAsync<IdDto>(client, "/api/datastores",
            new { name, connection_id = connectionId, database, schema, teams, trigger_sync = triggerSync })).Id;

    public static async Task<OperationDto> StartSyncAsync(HttpClient client, int datastoreId, bool prune = false) =>
        await QuarryTestServer.PostJsonAsync<OperationDto>(client, "/api/operations/run", new { type = "sync", datastore_id = datastoreId, prune });

    /// <summary>Polls the operation until it has finished (or a generous deadline passes, which fails the test).</summary>
    public static async Task<OperationDto> WaitAsync(HttpClient client, int operationId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var operation = await QuarryTestServer.GetJsonAsync<OperationDto>(client, $"/api/operations/{operationId}");
            if (operation.State == OperationState.Finished) return operation;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Operation {operationId} did not finish in {seconds}s: {operation}");
            await Task.Delay(50);
        }
    }

    public static async Task<OperationDto> SyncAsync(HttpClient client, int datastoreId, bool prune = false) =>
        await WaitAsync(client, (await StartSyncAsync(client, datastoreId, prune)).Id);

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds}s for {what}; last value: {value}");
            await Task.Delay(50);
        }
    }

    public static async Task<List<ContainerDto>> ContainersAsync(HttpClient client, int datastoreId, bool includeRemoved = false) =>
        [.. (await QuarryTestServer.GetJsonAsync<Page<ContainerDto>>(client, $"/api/containers?datastore={datastoreId}&size=1000&include_removed={includeRemoved}")).Items];

    public static async Task<List<FieldDto>> FieldsAsync(HttpClient client, int containerId, bool includeRemoved = false) =>
        [.. (await QuarryTestServer.GetJsonAsync<Page<FieldDto>>(client, $"/api/containers/{containerId}/fields?size=1000&include_removed={includeRemoved}")).Items];

    /// <summary>Every container and field of a datastore as one comparable text (with timestamps).</summary>
    public static async Task<string> SnapshotAsync(HttpClient client, int datastoreId)
    {
        var lines = new List<string>();
        foreach (var container in await ContainersAsync(client, datastoreId, includeRemoved: true))
        {
            lines.Add(JsonSerializer.Serialize(container));
            lines.AddRange((await FieldsAsync(client, container.Id, includeRemoved: true)).Select(f => "  " + JsonSerializer.Serialize(f)));
        }
        return string.Join('\n', lines);
    }

    /// <summary>Puts the operation <paramref name="enqueue"/> makes straight into the server's store, as another server sharing it could: its id.</summary>
    public static async Task<int> EnqueueInStoreAsync(QuarryTestServer server, Func<QuarryDb, Operation> enqueue)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var operation = enqueue(db);
        await db.SaveChangesAsync();
        return operation.Id;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) =>
        await client.PostAsJsonAsync(path, body ?? new { }, QuarryTestServer.Json);
}
