namespace Quarry.Tests.MultiSchema;

/// <summary>
/// The bulk create rules, on both stores. Bulk create connects once before writing anything, so the connection is
/// the test cluster's own <c>postgres</c> database; the schemas need not exist (validating them is a separate step).
/// </summary>
public sealed class BulkCreateTests
{
    private static async Task<(QuarryTestServer Server, HttpClient Manager, int ConnectionId)> StartAsync(StoreKind kind)
    {
        var server = await QuarryTestServer.StartAsync(kind);
        var (_, token) = await server.CreateUserAsync("onboarder", Role.Manager);
        var manager = server.Client(token);
        foreach (var team in new[] { "Analytics", "Finance" })
            await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = team });
        var connection = await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/connections", Reachable("warehouse"));
        return (server, manager, connection.GetProperty("id").GetInt32());
    }

    /// <summary>A connection Quarry can reach: the test cluster, its <c>postgres</c> database.</summary>
    private static object Reachable(string name, string? password = null) => new
    {
        name, type = "postgresql", host = TestPostgres.Builder.Host, port = TestPostgres.Builder.Port,
        username = TestPostgres.Builder.Username, password = password ?? "S3cret-bulk", database = Catalog,
    };

    private const string Catalog = "postgres";

    private static async Task<JsonElement> BulkAsync(HttpClient client, int connectionId, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsJsonAsync($"/api/connections/{connectionId}/datastores/bulk", body, QuarryTestServer.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<List<JsonElement>> DatastoresAsync(HttpClient client) =>
        (await QuarryTestServer.GetJsonAsync<JsonElement>(client, "/api/datastores?size=1000")).GetProperty("items").EnumerateArray().ToList();

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EachSchemaBecomesADatastoreNamedByTheTemplateWithTheChosenTeamsAndGroup(StoreKind kind)
    {
        var (server, manager, connectionId) = await StartAsync(kind);
        await using var _ = server;

        var result = await BulkAsync(manager, connectionId, new
        {
            catalog = Catalog, schemas = new[] { "public", "staging", "analytics" }, name_template = "production_{{schema}}",
            teams = new[] { "analytics", "Finance" }, group = "Sales warehouse", tags = new[] { "prod" },
        });

        Assert.Equal(3, result.GetProperty("created").GetArrayLength());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var datastores = await DatastoresAsync(manager);
        Assert.Equal(["production_public", "production_staging", "production_analytics"], datastores.Select(d => d.GetProperty("name").GetString()));
        Assert.All(datastores, d =>
        {
            Assert.Equal(Catalog, d.GetProperty("database").GetString());
            Assert.Equal(["Analytics", "Finance"], d.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
            Assert.Equal("Sales warehouse", d.GetProperty("group").GetProperty("name").GetString());
        });
        Assert.Equal(["public", "staging", "analytics"], datastores.Select(d => d.GetProperty("schema").GetString()));

        // The same group name again joins the existing group instead of creating a second one.
        await BulkAsync(manager, connectionId, new { schemas = new[] { "hr" }, name_template = "production_{{  schema }}", teams = new[] { "Finance" }, group = "sales WAREHOUSE" });
        var groups = (await QuarryTestServer.GetJsonAsync<JsonElement>(manager, "/api/datastore-groups")).GetProperty("items").EnumerateArray().ToList();
        var group = Assert.Single(groups);
        Assert.Equal(4, group.GetProperty("datastore_count").GetInt32());
    }

    [Theory]
    [InlineData("production")]
    [InlineData("production_{{ schemas }}")]
    [InlineData("production_{ schema }")]
    public async Task ATemplateWithoutTheSchemaPlaceholderIsRefusedAndNothingIsCreated(string template)
    {
        var (server, manager, connectionId) = await StartAsync(StoreKind.Sqlite);
        await using var _ = server;

        var problem = await BulkAsync(manager, connectionId, new { schemas = new[] { "a", "b" }, name_template = template, teams = new[] { "Finance" } }, HttpStatusCode.BadRequest);

        Assert.Contains("{{ schema }}", problem.GetProperty("errors").GetProperty("name_template")[0].GetString());
        Assert.Empty(await DatastoresAsync(manager));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATakenNameFailsOnlyItsOwnSchema(StoreKind kind)
    {
        var (server, manager, connectionId) = await StartAsync(kind);
        await using var _ = server;
        await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/datastores",
            new { name = "PROD_STAGING", connection_id = connectionId, database = Catalog, schema = "old" });

        var result = await BulkAsync(manager, connectionId, new { schemas = new[] { "public", "staging", "hr" }, name_template = "prod_{{ schema }}", teams = new[] { "Finance" } });

        Assert.Equal(2, result.GetProperty("created").GetArrayLength());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal("staging", error.GetProperty("schema_name").GetString());
        Assert.Contains("prod_staging", error.GetProperty("error").GetString());
        Assert.Contains("already exists", error.GetProperty("error").GetString());
        Assert.Equal(["PROD_STAGING", "prod_public", "prod_hr"], (await DatastoresAsync(manager)).Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task UnknownTeamsAreRefusedByNameAndMissingTeamsAreRequired()
    {
        var (server, manager, connectionId) = await StartAsync(StoreKind.Sqlite);
        await using var _ = server;

        var unknown = await BulkAsync(manager, connectionId,
            new { schemas = new[] { "a" }, name_template = "x_{{ schema }}", teams = new[] { "Finance", "Marketing", "Ops" } }, HttpStatusCode.BadRequest);
        var message = unknown.GetProperty("errors").GetProperty("teams")[0].GetString();
        Assert.Contains("Marketing, Ops", message);
        Assert.DoesNotContain("Finance", message);

        var none = await BulkAsync(manager, connectionId, new { schemas = new[] { "a" }, name_template = "x_{{ schema }}", teams = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        Assert.Contains("required", none.GetProperty("errors").GetProperty("teams")[0].GetString());
        Assert.Empty(await DatastoresAsync(manager));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EveryDatastoreLinksToTheEnrichmentDatastoreWithItsOwnUniquePrefix(StoreKind kind)
    {
        var (server, manager, connectionId) = await StartAsync(kind);
        await using var _ = server;
        var enrichment = await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/datastores",
            new { name = "enrichment", connection_id = connectionId, database = Catalog, schema = "enrich", enrichment_only = true });
        var enrichmentId = enrichment.GetProperty("id").GetInt32();
        // An older datastore already writes under "_prod_public" there.
        await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/datastores",
            new { name = "legacy", connection_id = connectionId, database = Catalog, schema = "legacy", enrichment_datastore_id = enrichmentId, enrichment_prefix = "_prod_public" });

        var result = await BulkAsync(manager, connectionId, new
        {
            schemas = new[] { "public", "Sales", "sales" }, name_template = "Prod {{ schema }}", teams = new[] { "Finance" }, enrichment_datastore_id = enrichmentId,
        });

        // "Prod Sales" and "Prod sales" are the same name regardless of case: the second fails, the rest link.
        Assert.Equal(2, result.GetProperty("created").GetArrayLength());
        Assert.Equal("sales", Assert.Single(result.GetProperty("errors").EnumerateArray()).GetProperty("schema_name").GetString());
        var created = (await DatastoresAsync(manager)).Where(d => d.GetProperty("name").GetString()!.StartsWith("Prod ", StringComparison.Ordinal)).ToList();
        Assert.All(created, d => Assert.Equal(enrichmentId, d.GetProperty("enrich_datastore").GetProperty("id").GetInt32()));
        Assert.Equal(["_prod_public_2", "_prod_sales"], created.Select(d => d.GetProperty("enrichment_prefix").GetString()));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TriggerCatalogQueuesOneSyncPerCreatedDatastore(StoreKind kind)
    {
        var (server, manager, connectionId) = await StartAsync(kind);
        await using var _ = server;

        var result = await BulkAsync(manager, connectionId, new { schemas = new[] { "a", "b", "c" }, name_template = "s_{{ schema }}", teams = new[] { "Finance" }, trigger_catalog = true });
        var quiet = await BulkAsync(manager, connectionId, new { schemas = new[] { "d" }, name_template = "s_{{ schema }}", teams = new[] { "Finance" } });

        var created = result.GetProperty("created").EnumerateArray().Select(e => e.GetInt32()).ToList();
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var synced = await db.Operations.Where(o => o.Type == "sync").Select(o => o.DatastoreId).ToListAsync();
        Assert.Equal(created.Order(), synced.Order());
        Assert.DoesNotContain(quiet.GetProperty("created")[0].GetInt32(), synced);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task BulkWithANewConnectionCreatesTheConnectionFirstAndKeepsItsPasswordSecret(StoreKind kind)
    {
        var (server, manager, _) = await StartAsync(kind);
        await using var __ = server;
        const string password = "n3w-Conn-pw!";

        var response = await manager.PostAsJsonAsync("/api/connections/datastores/bulk", new
        {
            connection = Reachable("lake", password),
            catalog = Catalog, schemas = new[] { "raw", "curated" }, name_template = "lake_{{ schema }}", teams = new[] { "Analytics" },
        }, QuarryTestServer.Json);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var connection = Assert.Single((await QuarryTestServer.GetJsonAsync<JsonElement>(manager, "/api/connections?name=lake")).GetProperty("items").EnumerateArray());
        Assert.Equal(connection.GetProperty("id").GetInt32(), JsonDocument.Parse(text).RootElement.GetProperty("connection_id").GetInt32());
        Assert.Equal(["lake_raw", "lake_curated"], (await DatastoresAsync(manager)).Where(d => d.GetProperty("connection_id").GetInt32() == connection.GetProperty("id").GetInt32()).Select(d => d.GetProperty("name").GetString()));
        Assert.DoesNotContain(password, text);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, System.Text.Encoding.UTF8.GetString(await server.ReadStoreBytesAsync()));
    }

    [Fact]
    public async Task ARequestRefusedAsAWholeLeavesNoNewConnectionBehind()
    {
        var (server, manager, _) = await StartAsync(StoreKind.Sqlite);
        await using var __ = server;

        var response = await manager.PostAsJsonAsync("/api/connections/datastores/bulk", new
        {
            connection = Reachable("lake"),
            catalog = Catalog, schemas = new[] { "raw" }, name_template = "lake_{{ schema }}", teams = new[] { "Nobody" },
        }, QuarryTestServer.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(manager, "/api/connections?name=lake")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AMemberMayNotCreateDatastoresInBulk()
    {
        var (server, _, connectionId) = await StartAsync(StoreKind.Sqlite);
        await using var __ = server;
        var (_, token) = await server.CreateUserAsync("viewer", Role.Member);

        var response = await server.Client(token).PostAsJsonAsync($"/api/connections/{connectionId}/datastores/bulk",
            new { schemas = new[] { "a" }, name_template = "x_{{ schema }}", teams = new[] { "Finance" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AGroupIsFoundByIdAndAnUnknownIdOrANonEnrichmentTargetRefusesTheRequest()
    {
        var (server, manager, connectionId) = await StartAsync(StoreKind.Sqlite);
        await using var _ = server;
        var groupId = (await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/datastore-groups", new { name = "Finance data" })).GetProperty("id").GetInt32();
        var plain = (await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/datastores", new { name = "plain", connection_id = connectionId, schema = "x" })).GetProperty("id").GetInt32();

        var byId = await BulkAsync(manager, connectionId, new { schemas = new[] { "a" }, name_template = "g_{{ schema }}", teams = new[] { "Finance" }, group = groupId });
        var unknown = await BulkAsync(manager, connectionId, new { schemas = new[] { "b" }, name_template = "g_{{ schema }}", teams = new[] { "Finance" }, group_id = 999 }, HttpStatusCode.BadRequest);
        var notEnrichment = await BulkAsync(manager, connectionId, new { schemas = new[] { "c" }, name_template = "g_{{ schema }}", teams = new[] { "Finance" }, enrichment_datastore_id = plain }, HttpStatusCode.BadRequest);

        var created = await QuarryTestServer.GetJsonAsync<JsonElement>(manager, $"/api/datastores/{byId.GetProperty("created")[0].GetInt32()}");
        Assert.Equal(groupId, created.GetProperty("group").GetProperty("id").GetInt32());
        Assert.Contains("no datastore group has id 999", unknown.GetProperty("errors").GetProperty("group")[0].GetString());
        Assert.Contains("not an enrichment datastore", notEnrichment.GetProperty("errors").GetProperty("enrichment_datastore_id")[0].GetString());
        Assert.Equal(["plain", "g_a"], (await DatastoresAsync(manager)).Select(d => d.GetProperty("name").GetString()));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AConnectionThatCannotBeUsedRefusesTheRequestWithTheConnectorsMessageAndCreatesNothing(StoreKind kind)
    {
        var (server, manager, connectionId) = await StartAsync(kind);
        await using var __ = server;
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        const string password = "Wr0ng-bulk-secret";
        var unreachable = await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/connections",
            new { name = "gone", type = "postgresql", host = "127.0.0.1", port = deadPort, username = "reader", password, database = Catalog });

        var refused = await BulkAsync(manager, unreachable.GetProperty("id").GetInt32(),
            new { schemas = new[] { "public" }, name_template = "gone_{{ schema }}", teams = new[] { "Finance" }, trigger_sync = true }, HttpStatusCode.BadRequest);
        var missingCatalog = await BulkAsync(manager, connectionId,
            new { catalog = "no_such_database", schemas = new[] { "public" }, name_template = "nodb_{{ schema }}", teams = new[] { "Finance" } }, HttpStatusCode.BadRequest);
        var newConnection = await manager.PostAsJsonAsync("/api/connections/datastores/bulk", new
        {
            connection = new { name = "gone-too", type = "postgresql", host = "127.0.0.1", port = deadPort, username = "reader", password, database = Catalog },
            schemas = new[] { "public" }, name_template = "gone2_{{ schema }}", teams = new[] { "Finance" },
        }, QuarryTestServer.Json);

        Assert.Contains("Nothing was created", refused.GetProperty("detail").GetString());
        Assert.Contains("no_such_database", missingCatalog.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, newConnection.StatusCode);
        Assert.DoesNotContain(password, refused.ToString() + await newConnection.Content.ReadAsStringAsync());
        Assert.Empty(await DatastoresAsync(manager));
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(manager, "/api/connections?name=gone-too")).GetProperty("total").GetInt32());
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<QuarryDb>().Operations.CountAsync());
    }
}
