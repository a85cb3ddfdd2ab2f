namespace Quarry.Tests.Api;

/// <summary>
/// The datastores API. The tests share one server per store, each with its own connection, datastore and team names;
/// the ones that count every datastore start their own.
/// </summary>
public sealed class DatastoresApiTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DatastoresAreCreatedReadUpdatedAndDeleted(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var connection = await admin.CreateConnectionAsync("crud-warehouse");
        await admin.CreateIdAsync("/api/teams", new { name = "Billing" });
        var group = await admin.CreateIdAsync("/api/datastore-groups", new { name = "crud-group" });

        var created = await admin.CreateAsync("/api/datastores", new
        {
            name = "Crud Sales",
            connection_id = connection,
            schema = "public",
            description = "orders and invoices",
            tags = new[] { "production", "finance", "production" },
            teams = new[] { "billing" },
            group_id = group,
        });
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("analytics", created.GetProperty("database").GetString()); // taken from the connection
        Assert.Equal(connection, created.GetProperty("connection").GetProperty("id").GetInt32());
        Assert.Equal("crud-warehouse", created.GetProperty("connection").GetProperty("name").GetString());
        Assert.Equal("postgresql", created.GetProperty("connection").GetProperty("type").GetString());
        Assert.Equal(["finance", "production"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["Billing"], created.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("crud-group", created.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(0, created.GetProperty("container_count").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("latest_sync").ValueKind);

        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{id}",
            new { description = "orders", tags = new[] { "archive" }, teams = new[] { "Public", "Billing" }, group_id = 0 });
        Assert.Equal("orders", updated.GetProperty("description").GetString());
        Assert.Equal("public", updated.GetProperty("schema").GetString());
        Assert.Equal(["archive"], updated.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["Billing", "Public"], updated.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, updated.GetProperty("group_id").ValueKind);
        Assert.Equal("orders", (await admin.ReadAsync($"/api/datastores/{id}")).GetProperty("description").GetString());

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/datastores/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/datastores/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"/api/datastores/{id}", new { description = "x" });
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task InvalidDatastoresGet400NamingWhatToFix(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("warehouse");

        var unknownTeam = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores",
            new { name = "sales", connection_id = connection, schema = "public", teams = new[] { "Public", "Ghosts" } });
        Assert.Contains("Ghosts", unknownTeam.GetProperty("errors").GetProperty("teams")[0].GetString());
        var noConnection = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", new { name = "sales", schema = "public" });
        Assert.Contains("connection_id", noConnection.GetProperty("detail").GetString());
        var missingConnection = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", new { name = "sales", connection_id = 999, schema = "s" });
        Assert.Contains("999", missingConnection.GetProperty("detail").GetString());
        var unknownName = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", new { name = "sales", connection_name = "nope", schema = "s" });
        Assert.Contains("nope", unknownName.GetProperty("detail").GetString());
        var noSchema = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", new { name = "sales", connection_id = connection });
        Assert.True(noSchema.GetProperty("errors").TryGetProperty("schema", out _));
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", new { name = "sales", connection_id = connection, schema = "s", group_id = 42 });
        // Nothing was half-written by the failed requests.
        Assert.Equal(0, (await admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ADatastoreWithoutTeamsBelongsToPublicAndNamesAreUniqueInAnyCase(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var connection = await admin.CreateConnectionAsync("unique-warehouse");
        var id = await admin.CreateIdAsync("/api/datastores", new { name = "Orders", connection_name = "UNIQUE-WAREHOUSE", schema = "public" });
        var read = await admin.ReadAsync($"/api/datastores/{id}");
        Assert.Equal("Public", Assert.Single(read.GetProperty("teams").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(connection, read.GetProperty("connection_id").GetInt32());

        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/datastores", new { name = "ORDERS", connection_id = connection, schema = "other" });
        var other = await admin.CreateDatastoreAsync("marketing", connection);
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/datastores/{other}", new { name = "orders" });
        // Emptying the teams puts it back in Public rather than making it invisible to members.
        var emptied = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{other}", new { teams = Array.Empty<string>() });
        Assert.Equal("Public", Assert.Single(emptied.GetProperty("teams").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DatastoreListsArePagedAndFiltered(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var pg = await admin.CreateConnectionAsync("warehouse");
        var lite = await admin.CreateConnectionAsync("files", "sqlite");
        for (var i = 1; i <= 5; i++) await admin.CreateDatastoreAsync($"Sales-{i}", pg, tags: i % 2 == 0 ? ["even"] : ["odd"]);
        await admin.CreateIdAsync("/api/datastores", new { name = "Local", connection_id = lite });
        await admin.CreateDatastoreAsync("Enrich", pg, enrichmentOnly: true);

        var page2 = await admin.ReadAsync("/api/datastores?page=2&size=2");
        Assert.Equal(7, page2.GetProperty("total").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(["Sales-3", "Sales-4"], page2.Names());

        Assert.Equal(["Sales-2"], (await admin.ReadAsync("/api/datastores?name=sales-2")).Names());
        Assert.Equal(["Sales-1", "Sales-2", "Sales-3", "Sales-4", "Sales-5"], (await admin.ReadAsync("/api/datastores?search=SALES")).Names());
        Assert.Equal(["Local"], (await admin.ReadAsync("/api/datastores?type=sqlite")).Names());
        Assert.Equal(["Sales-2", "Sales-4"], (await admin.ReadAsync("/api/datastores?tag=even")).Names());
        Assert.Equal(["Sales-2", "Sales-4"], (await admin.ReadAsync("/api/datastores?tag=%20EVEN%20")).Names());
        Assert.Equal(["Enrich"], (await admin.ReadAsync("/api/datastores?enrichment_only=true")).Names());
        Assert.Equal(6, (await admin.ReadAsync("/api/datastores?enrichment_only=false")).GetProperty("total").GetInt32());
        Assert.Equal(["Local"], (await admin.ReadAsync($"/api/datastores?connection_id={lite}")).Names());
        Assert.Equal(["Sales-1", "Sales-3", "Sales-5"], (await admin.ReadAsync("/api/datastores?tag=odd&search=sales")).Names());

        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?size=1001");
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?page=0");
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?enrichment_only=maybe");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMemberSeesOnlyDatastoresOfItsTeamsAndPublic(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("warehouse");
        var finance = await admin.CreateIdAsync("/api/teams", new { name = "Finance" });
        await admin.CreateIdAsync("/api/teams", new { name = "Marketing" });
        await admin.CreateDatastoreAsync("open", connection);
        await admin.CreateDatastoreAsync("ledger", connection, ["Finance"]);
        await admin.CreateDatastoreAsync("campaigns", connection, ["Marketing"]);
        await admin.CreateDatastoreAsync("shared", connection, ["Marketing", "Finance"]);

        var (memberId, memberToken) = await server.CreateUserAsync("ana", Role.Member);
        var member = server.Client(memberToken);
        Assert.Equal(["open"], (await member.ReadAsync("/api/datastores")).Names());

        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{finance}/members", new { user_id = memberId, permission = "Viewer" });
        var visible = await member.ReadAsync("/api/datastores");
        Assert.Equal(["open", "ledger", "shared"], visible.Names());
        Assert.Equal(3, visible.GetProperty("total").GetInt32());
        Assert.Empty((await member.ReadAsync("/api/datastores?name=campaigns")).Names());

        var (_, managerToken) = await server.CreateUserAsync("max", Role.Manager);
        Assert.Equal(4, (await server.Client(managerToken).ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EnrichmentDatastoresAreLinkedWithAPrefixAndUnlinked(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        var connection = await admin.CreateConnectionAsync("enrichment-warehouse");
        var source = await admin.CreateDatastoreAsync("Prod Sales", connection);
        var enrichment = await admin.CreateDatastoreAsync("dq-results", connection, enrichmentOnly: true);
        var plain = await admin.CreateDatastoreAsync("plain", connection);

        var linked = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{source}/enrichment/{enrichment}");
        Assert.Equal(enrichment, linked.GetProperty("enrichment_datastore_id").GetInt32());
        Assert.Equal("dq-results", linked.GetProperty("enrich_datastore").GetProperty("name").GetString());
        Assert.Equal("_prod_sales", linked.GetProperty("enrichment_prefix").GetString());

        var prefixed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{source}/enrichment/{enrichment}?enrichment_prefix=_sales_dq");
        Assert.Equal("_sales_dq", prefixed.GetProperty("enrichment_prefix").GetString());

        var inUse = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/datastores/{enrichment}");
        Assert.Contains("Prod Sales", inUse.GetProperty("detail").GetString());
        var notEnrichment = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/datastores/{source}/enrichment/{plain}");
        Assert.Contains("enrichment_only", notEnrichment.GetProperty("detail").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Patch, $"/api/datastores/9999/enrichment/{enrichment}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Patch, $"/api/datastores/{source}/enrichment/9999");
        // The prefix names tables Quarry writes: only what a table name can start with.
        var badPrefix = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/datastores/{source}/enrichment/{enrichment}?enrichment_prefix=Bad%20Prefix%3B%20DROP");
        Assert.Contains("enrichment_prefix", badPrefix.ToString());
        Assert.Equal("_sales_dq", (await admin.ReadAsync($"/api/datastores/{source}")).GetProperty("enrichment_prefix").GetString());

        var unlinked = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/api/datastores/{source}/enrichment");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unlinked.GetProperty("enrich_datastore").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unlinked.GetProperty("enrichment_prefix").ValueKind);

        // Linking at creation takes enrichment_prefix from the body.
        var created = await admin.CreateAsync("/api/datastores", new
        {
            name = "Ops", connection_id = connection, schema = "ops", enrichment_datastore_id = enrichment, enrichment_prefix = "_ops_dq",
        });
        Assert.Equal("_ops_dq", created.GetProperty("enrichment_prefix").GetString());
        // Unlinking through PUT drops the prefix too, as DELETE …/enrichment does.
        var unlinkedByPut = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{created.GetProperty("id").GetInt32()}", new { enrichment_datastore_id = 0 });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unlinkedByPut.GetProperty("enrichment_prefix").ValueKind);
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/datastores/{created.GetProperty("id").GetInt32()}");
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/datastores/{enrichment}");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMemberCannotLinkAnEnrichmentDatastoreOutsideItsTeams(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("team-warehouse");
        var finance = await admin.CreateIdAsync("/api/teams", new { name = "Finance" });
        await admin.CreateIdAsync("/api/teams", new { name = "Sales" });
        var ledger = await admin.CreateDatastoreAsync("ledger", connection, ["Finance"]);
        var financeResults = await admin.CreateDatastoreAsync("finance-results", connection, ["Finance"], enrichmentOnly: true);
        var salesResults = await admin.CreateDatastoreAsync("sales-results", connection, ["Sales"], enrichmentOnly: true);
        var (memberId, token) = await server.CreateUserAsync("ed", Role.Member);
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{finance}/members", new { user_id = memberId, permission = "Editor" });
        var member = server.Client(token);

        // Quarry would write the ledger's results into another team's datastore, and show the member its name. It answers
        // as for a datastore that does not exist, so trying ids tells nothing (AccessMatrixOracleTests).
        var refused = await member.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Patch, $"/api/datastores/{ledger}/enrichment/{salesResults}");
        Assert.DoesNotContain("sales-results", refused.ToString());
        await member.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/datastores/{ledger}", new { enrichment_datastore_id = salesResults });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await admin.ReadAsync($"/api/datastores/{ledger}")).GetProperty("enrich_datastore").ValueKind);

        var linked = await member.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{ledger}/enrichment/{financeResults}");
        Assert.Equal("finance-results", linked.GetProperty("enrich_datastore").GetProperty("name").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task APageWhoseOffsetDoesNotFitIsRefusedRatherThanWrappingToTheFirst(StoreKind kind)
    {
        var admin = (await servers.For(kind)).Admin;
        await admin.CreateDatastoreAsync("only", await admin.CreateConnectionAsync("paging-warehouse"));

        Assert.Empty((await admin.ReadAsync("/api/datastores?page=2147484&size=1000")).Names());
        var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?page=2147485&size=1000");
        Assert.Contains("page", problem.ToString());
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/connections?page=2147483647&size=1000");
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/users?page=2147483647&size=1000");
    }
}
