using Quarry.Server.Connectors;

namespace Quarry.Tests.Sync;

public sealed class SyncFailureTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task WrongPasswordAndUnreachablePortFailClearlyWithoutTheSecretAndKeepTheCatalog(StoreKind store)
    {
        await using var source = await PostgresSource.CreateAsync();
        var (user, password) = await SourceDatabases.CreatePasswordUserAsync();
        await source.ExecuteAsync($"GRANT USAGE ON SCHEMA sales TO {user};");
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await source.ConnectAsync(server.Admin, username: user, password: password);
        var sales = await source.CreateDatastoreAsync(server.Admin, connection, "sales", "sales");
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(server.Admin, sales)).Result);
        var catalog = await SyncApi.SnapshotAsync(server.Admin, sales);
        var ok = await (await SyncApi.PostAsync(server.Admin, $"/api/connections/{connection}/test")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.True(ok!.Success, ok.Message);

        var wrongPassword = password + "-wrong";
        (await server.Admin.PutAsJsonAsync($"/api/connections/{connection}", new { password = wrongPassword }, QuarryTestServer.Json)).EnsureSuccessStatusCode();
        var rejected = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Failure, rejected.Result);
        Assert.Contains($"rejected user '{user}'", rejected.Message);
        Assert.Contains("Check the connection's username and password", rejected.Message);

        var test = await SyncApi.PostAsync(server.Admin, $"/api/connections/{connection}/test");
        var testText = await test.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.Contains("\"success\":false", testText);
        var verify = await (await SyncApi.PostAsync(server.Admin, $"/api/datastores/{sales}/connection")).Content.ReadAsStringAsync();
        Assert.Contains("\"success\":false", verify);
        var unsaved = await (await SyncApi.PostAsync(server.Admin, "/api/connections/test",
            SourceDatabases.PostgresConnection("", source.ConnectionString, user, wrongPassword))).Content.ReadAsStringAsync();
        Assert.Contains("username and password", unsaved);

        var port = SourceDatabases.ClosedPort();
        (await server.Admin.PutAsJsonAsync($"/api/connections/{connection}", new { password, port }, QuarryTestServer.Json)).EnsureSuccessStatusCode();
        var unreachable = await SyncApi.SyncAsync(server.Admin, sales);
        Assert.Equal(OperationResult.Failure, unreachable.Result);
        Assert.Contains($":{port} (connection refused)", unreachable.Message);

        Assert.Equal(catalog, await SyncApi.SnapshotAsync(server.Admin, sales));
        var everything = string.Join('\n', rejected.Message, unreachable.Message, testText, verify, unsaved, server.Logs.All,
            await server.Admin.GetStringAsync("/api/operations?size=1000"));
        Assert.DoesNotContain(password, everything);
        Assert.DoesNotContain(password, System.Text.Encoding.UTF8.GetString(await server.ReadStoreBytesAsync()));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task VerifyingADatastoreSaysWhetherItsSchemaExists(StoreKind store)
    {
        await using var source = await PostgresSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var connection = await source.ConnectAsync(server.Admin);
        var good = await source.CreateDatastoreAsync(server.Admin, connection, "good", "Archive");
        var missing = await source.CreateDatastoreAsync(server.Admin, connection, "missing", "nowhere");
        var noDb = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "nodb", "no_such_db", "public");

        var ok = await (await SyncApi.PostAsync(server.Admin, $"/api/datastores/{good}/connection")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.True(ok!.Success, ok.Message);
        Assert.Contains("1 containers", ok.Message);
        var bad = await (await SyncApi.PostAsync(server.Admin, $"/api/datastores/{missing}/connection")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.False(bad!.Success);
        Assert.Contains("Schema 'nowhere' does not exist", bad.Message);
        var gone = await (await SyncApi.PostAsync(server.Admin, $"/api/datastores/{noDb}/connection")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.False(gone!.Success);
        Assert.Contains("Database 'no_such_db' does not exist", gone.Message);

        var failed = await SyncApi.SyncAsync(server.Admin, missing);
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains("Schema 'nowhere' does not exist", failed.Message);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task MembersOperateAndReadOnlyTheirTeamsDatastores(StoreKind store)
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(store);
        var team = await QuarryTestServer.PostJsonAsync<IdOnly>(server.Admin, "/api/teams", new { name = "finance" });
        var (authorId, authorToken) = await server.CreateUserAsync("author", Role.Member);
        var (_, outsiderToken) = await server.CreateUserAsync("outsider", Role.Member);
        (await server.Admin.PostAsJsonAsync($"/api/teams/{team.Id}/members", new { user_id = authorId, permission = "Author" }, QuarryTestServer.Json)).EnsureSuccessStatusCode();
        var connection = await shop.ConnectAsync(server.Admin);
        var datastore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop", null, "main", ["finance"]);
        var author = server.Client(authorToken);
        var outsider = server.Client(outsiderToken);

        // Outside the datastore's teams, it answers as a datastore that does not exist.
        var hidden = await SyncApi.PostAsync(outsider, "/api/operations/run", new { type = "sync", datastore_id = datastore });
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var operation = await SyncApi.SyncAsync(author, datastore);
        Assert.Equal(OperationResult.Success, operation.Result);

        Assert.Equal(4, (await SyncApi.ContainersAsync(author, datastore)).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/containers?datastore={datastore}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/operations/{operation.Id}")).StatusCode);
        Assert.Contains("\"total\":0", await outsider.GetStringAsync("/api/containers"));
        Assert.Contains("\"total\":0", await outsider.GetStringAsync("/api/operations"));
        Assert.Equal(HttpStatusCode.Forbidden, (await SyncApi.PostAsync(author, $"/api/connections/{connection}/test")).StatusCode);
    }

    [Fact]
    public async Task ADatastoreCreatedWithTriggerSyncIsSynced()
    {
        using var shop = await SqliteShop.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var connection = await shop.ConnectAsync(server.Admin);
        var datastore = await QuarryTestServer.PostJsonAsync<IdOnly>(server.Admin, "/api/datastores",
            new { name = "shop", connection_id = connection, schema = "main", trigger_catalog = true });
        var operations = await SyncApi.PollAsync(
            () => QuarryTestServer.GetJsonAsync<Page<OperationDto>>(server.Admin, $"/api/operations?datastore={datastore.Id}&result=success"),
            page => page.Total == 1, "the triggered sync to succeed");
        Assert.Equal(4, operations.Items[0].Status.TotalContainers);
        Assert.Equal(4, (await SyncApi.ContainersAsync(server.Admin, datastore.Id)).Count);
    }

    private sealed record IdOnly(int Id);
}
