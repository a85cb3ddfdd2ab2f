namespace Quarry.Tests.Api;

public sealed class DatastoreGroupsApiTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task GroupsAreCreatedListedRenamedAndDeletedWhileTheirDatastoresStay(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var group = await admin.CreateAsync("/api/datastore-groups", new { name = "Production", description = "live systems" });
        var id = group.GetProperty("id").GetInt32();
        Assert.Equal(0, group.GetProperty("datastore_count").GetInt32());
        await admin.CreateIdAsync("/api/datastore-groups", new { name = "staging" });

        var connection = await admin.CreateConnectionAsync("warehouse");
        var datastore = await admin.CreateIdAsync("/api/datastores", new { name = "sales", connection_id = connection, schema = "public", group_id = id });
        Assert.Equal(1, (await admin.ReadAsync($"/api/datastore-groups/{id}")).GetProperty("datastore_count").GetInt32());
        Assert.Equal(["sales"], (await admin.ReadAsync($"/api/datastores?group_id={id}")).Names());

        Assert.Equal(["Production", "staging"], (await admin.ReadAsync("/api/datastore-groups")).Names());
        Assert.Equal(["Production"], (await admin.ReadAsync("/api/datastore-groups?name=PRODUCTION")).Names());
        Assert.Equal(["staging"], (await admin.ReadAsync("/api/datastore-groups?search=stag&size=1")).Names());
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastore-groups?size=5000");

        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/datastore-groups", new { name = "STAGING" });
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/datastore-groups/{id}", new { name = "Staging" });
        var renamed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastore-groups/{id}", new { name = "Prod" });
        Assert.Equal("Prod", renamed.GetProperty("name").GetString());
        Assert.Equal("live systems", renamed.GetProperty("description").GetString());

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/datastore-groups/{id}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/datastore-groups/{id}");
        var orphan = await admin.ReadAsync($"/api/datastores/{datastore}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, orphan.GetProperty("group").ValueKind);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AGroupsDatastoreCountCountsOnlyWhatTheCallerMaySee(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var group = await admin.CreateIdAsync("/api/datastore-groups", new { name = "Production" });
        await admin.CreateIdAsync("/api/teams", new { name = "Finance" });
        var connection = await admin.CreateConnectionAsync("warehouse");
        await admin.CreateIdAsync("/api/datastores", new { name = "open", connection_id = connection, schema = "public", group_id = group });
        await admin.CreateIdAsync("/api/datastores", new { name = "ledger", connection_id = connection, schema = "public", group_id = group, teams = new[] { "Finance" } });
        var (_, token) = await server.CreateUserAsync("mo", Quarry.Contracts.Access.Role.Member);
        var member = server.Client(token);

        Assert.Equal(2, (await admin.ReadAsync($"/api/datastore-groups/{group}")).GetProperty("datastore_count").GetInt32());
        Assert.Equal(1, (await member.ReadAsync($"/api/datastore-groups/{group}")).GetProperty("datastore_count").GetInt32());
        var listed = (await member.ReadAsync("/api/datastore-groups")).GetProperty("items")[0];
        Assert.Equal(1, listed.GetProperty("datastore_count").GetInt32());
    }
}
