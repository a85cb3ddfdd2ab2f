using Quarry.Server.Connectors;

namespace Quarry.Tests.Sync;

/// <summary>
/// Operations are dispatched to one runner per type, with their own parameters and results stored as JSON. The tests
/// share one server per store; each that runs operations does so on a datastore of its own.
/// </summary>
public sealed class OperationRunnerTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ASyncStoresItsPruneParameterAndItsCountsAsJsonAndAnswersAsBefore(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        var server = await servers.For(store);
        var datastore = await shop.CreateDatastoreAsync(server.Admin, "pruned");

        var synced = await SyncApi.SyncAsync(server.Admin, datastore, prune: true);

        Assert.Equal(OperationResult.Success, synced.Result);
        Assert.True(synced.Prune);
        var containers = (await SyncApi.ContainersAsync(server.Admin, datastore)).Count;
        await using var scope = server.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<QuarryDb>().Operations.AsNoTracking().SingleAsync(o => o.Id == synced.Id);
        Assert.Equal("{\"prune\":true}", row.ParametersJson);
        using var result = JsonDocument.Parse(row.ResultJson!);
        Assert.Equal(containers, result.RootElement.GetProperty("containers").GetInt32());
        Assert.Equal(containers, result.RootElement.GetProperty("added").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AQueuedOperationOfATypeWithoutARunnerFailsSayingSoAndTheDatastoreSyncsAfterwards(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        var server = await servers.For(store);
        var datastore = await shop.CreateDatastoreAsync(server.Admin, "tidied");
        // As a server of another version could have queued it into a shared store.
        var unknown = await SyncApi.EnqueueInStoreAsync(server, db => OperationQueue.Enqueue(db, "tidy", datastore, null, "{\"deep\":true}"));

        var failed = await SyncApi.WaitAsync(server.Admin, unknown);

        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Equal("This Quarry server cannot run operations of type 'tidy'; nothing was changed.", failed.Message);
        Assert.Empty(await SyncApi.ContainersAsync(server.Admin, datastore, includeRemoved: true));
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, datastore)).Result);
    }

    [Fact]
    public async Task ARunRequestForATypeWithoutARunnerIsRefusedNamingTheTypesThatRun()
    {
        var server = await servers.For(StoreKind.Sqlite);

        var response = await server.Admin.PostAsJsonAsync("/api/operations/run", new { type = "backup", datastore_id = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("type")[0].GetString()!;
        Assert.StartsWith("must be one of ", message);
        Assert.All(new[] { "\"sync\"", "\"scan\"", "\"profile\"", "\"export\"", "\"materialize\"", "(also accepted: \"catalog\")" }, part => Assert.Contains(part, message));
        Assert.DoesNotContain("backup", message);
    }

    [Fact]
    public async Task EveryConnectorDeclaresADistinctTypeADefaultSchemaAndNoEnrichmentWriterItDoesNotHave()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var connectors = server.Services.GetServices<IConnector>().ToList();

        Assert.Equal(new[] { "postgresql", "sqlite", "mysql", "files" }, connectors.Select(c => c.Descriptor.Type));
        // Each engine's own identifier quote, doubled inside a name, so a name holding the other engines' quotes reads as itself.
        var quoted = new Dictionary<string, string>
        {
            ["postgresql"] = "\"a\"\"b`c\"", ["sqlite"] = "\"a\"\"b`c\"", ["files"] = "\"a\"\"b`c\"", ["mysql"] = "`a\"b``c`",
        };
        var registry = server.Services.GetRequiredService<ConnectorRegistry>();
        foreach (var connector in connectors)
        {
            var descriptor = connector.Descriptor;
            Assert.Same(descriptor, registry.Find(descriptor.Type.ToUpperInvariant()));
            Assert.All(descriptor.Aliases, alias => Assert.Same(descriptor, registry.Find(alias)));
            Assert.True(descriptor.RequiresSchema || !string.IsNullOrWhiteSpace(descriptor.DefaultSchema), $"{descriptor.Type} neither requires a schema nor has a default one");
            Assert.Equal(descriptor.Supports(ConnectorCapabilities.EnrichmentWrite), connector.EnrichmentWriter is not null);
            Assert.Empty(descriptor.RequiredFields.Select(f => f.Field).Intersect(descriptor.UnusedFields.Select(f => f.Field)));
            Assert.Equal(quoted[descriptor.Type], connector.Dialect.QuoteIdentifier("a\"b`c"));
        }
    }
}
