namespace Quarry.Tests.Api;

/// <summary>
/// The requests the public Qualytics CLI sends for connections, datastores, operations and containers (its
/// qualytics/api/*.py), replayed against a real server and a real PostgreSQL source, with the fields it reads.
/// </summary>
public sealed class QualyticsClientTests
{
    [Fact]
    public async Task ConnectionAndDatastoreTestsAnswerConnectedAndTryChangesBeforeSavingThem()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var source = await SourceDatabases.CreatePostgresAsync();
        var admin = server.Admin;
        var port = new Npgsql.NpgsqlConnectionStringBuilder(source).Port;
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("warehouse", source, port: SourceDatabases.ClosedPort()));

        var wrong = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/connections/{connection}/test");
        Assert.False(wrong.GetProperty("connected").GetBoolean());
        // A port to try before saving it: the merged values are tested, the saved connection is left alone.
        var tried = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/connections/{connection}/test", new { port });
        Assert.True(tried.GetProperty("connected").GetBoolean(), tried.ToString());
        Assert.True(tried.GetProperty("success").GetBoolean());
        Assert.NotEqual(port, (await admin.ReadAsync($"/api/connections/{connection}")).GetProperty("port").GetInt32());
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { port });

        var unsaved = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/datastores/connection", new { connection_id = connection, schema = "sales" });
        Assert.True(unsaved.GetProperty("connected").GetBoolean(), unsaved.ToString());
        var noSchema = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/datastores/connection", new { connection_id = connection, schema = "nowhere" });
        Assert.False(noSchema.GetProperty("connected").GetBoolean());
        Assert.Contains("nowhere", noSchema.GetProperty("message").GetString());
        var newConnection = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/datastores/connection",
            new { connection = SourceDatabases.PostgresConnection("unsaved", source), schema = "sales" });
        Assert.True(newConnection.GetProperty("connected").GetBoolean(), newConnection.ToString());

        var datastore = await SyncApi.CreateDatastoreAsync(admin, connection, "sales", null, "sales");
        Assert.True((await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/datastores/{datastore}/connection")).GetProperty("connected").GetBoolean());
        Assert.Equal(["sales"], (await admin.ReadAsync("/api/datastores?datastore_type=postgresql")).Names());
        Assert.Empty((await admin.ReadAsync("/api/datastores?datastore_type=sqlite")).Names());
        var unknown = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?datastore_kind=sqlite");
        Assert.Contains("'datastore_kind'", unknown.GetProperty("detail").GetString());
        Assert.Contains("datastore_type", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OperationsAnswerAsQualyticsClientsReadThem()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var source = await SourceDatabases.CreatePostgresAsync();
        var admin = server.Admin;
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("warehouse", source));
        var datastore = await SyncApi.CreateDatastoreAsync(admin, connection, "sales", null, "sales");
        var synced = await SyncApi.SyncAsync(admin, datastore);

        // A success has no message (Qualytics clients print a success's message as a warning); the words are in details.
        var read = await admin.ReadAsync($"/api/operations/{synced.Id}");
        Assert.Equal("success", read.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("message").ValueKind);
        Assert.Contains("containers", read.GetProperty("details").GetString());

        // Aborting what already finished answers the operation as it ended.
        var aborted = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/operations/abort/{synced.Id}");
        Assert.Equal("success", aborted.GetProperty("result").GetString());

        var second = await SyncApi.SyncAsync(admin, datastore);
        Assert.Equal([second.Id, synced.Id], Ids(await admin.ReadAsync($"/api/operations?datastore={datastore},{datastore + 100}&operation_type=sync&finished=true")));
        Assert.Equal([synced.Id, second.Id], Ids(await admin.ReadAsync($"/api/operations?datastore={datastore}&sort_created=asc")));
        Assert.Empty(Ids(await admin.ReadAsync("/api/operations?finished=false")));
        Assert.Empty(Ids(await admin.ReadAsync("/api/operations?operation_type=scan")));
        Assert.Empty(Ids(await admin.ReadAsync($"/api/operations?start_date={DateTime.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}")));
        var sideways = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/operations?sort_created=sideways");
        Assert.Contains("'sort_created'", sideways.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ComputedContainersAreWrittenThroughTheContainersApiAndSyncedOnesAreNot()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var source = await SourceDatabases.CreatePostgresAsync();
        var admin = server.Admin;
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("warehouse", source));
        var sales = await SyncApi.CreateDatastoreAsync(admin, connection, "sales", null, "sales");
        var archive = await SyncApi.CreateDatastoreAsync(admin, connection, "archive", null, "Archive");
        await SyncApi.SyncAsync(admin, sales);
        await SyncApi.SyncAsync(admin, archive);

        var listing = await admin.ReadAsync($"/api/containers/listing?datastore={sales}");
        var customers = listing.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "customers");
        Assert.Equal("table", customers.GetProperty("container_type").GetString());
        var both = await admin.ReadAsync($"/api/containers?datastore={sales},{archive}&size=100");
        Assert.Contains("Old Orders", both.Names());
        Assert.Contains("customers", both.Names());
        Assert.Equal(["customer_names"], (await admin.ReadAsync($"/api/containers?datastore={sales}&container_type=view")).Names());

        var table = new { container_type = "computed_table", datastore_id = sales, name = "rich", query = "select id, name from sales.customers where balance > 1000" };
        var valid = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/containers/validate?timeout_seconds=30", new { container = table });
        Assert.True(valid.GetProperty("success").GetBoolean(), valid.ToString());
        Assert.Equal(["id", "name"], valid.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var broken = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/containers/validate",
            new { container = table with { query = "select nope from sales.customers" } });
        Assert.False(broken.GetProperty("success").GetBoolean());
        Assert.Contains("nope", broken.GetProperty("message").GetString());
        Assert.DoesNotContain("rich", (await admin.ReadAsync($"/api/containers/listing?datastore={sales}")).EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var created = await admin.CreateAsync("/api/containers", table);
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("computed_table", created.GetProperty("container_type").GetString());
        Assert.Equal("big balances", (await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/containers/{id}", new { description = "big balances" })).GetProperty("description").GetString());
        var patched = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "/api/containers", new object[] { new { id, changes = new { description = "patched" } } });
        Assert.Equal("patched", patched[0].GetProperty("description").GetString());

        var synced = customers.GetProperty("id").GetInt32();
        var refused = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/containers/{synced}");
        Assert.Contains("read from the source", refused.GetProperty("detail").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/containers/{synced}", new { description = "x" });
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/containers/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/containers/{id}");
    }

    private static int[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToArray();
}
