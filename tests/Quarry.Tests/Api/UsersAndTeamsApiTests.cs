namespace Quarry.Tests.Api;

/// <summary>
/// Users, tokens and teams through the API. The tests share one server per store: each works on users, teams and
/// connections of its own, and only one makes a Manager or a team.
/// </summary>
public sealed class UsersAndTeamsApiTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATokenIsShownOnceAndEachUserListsAndDeletesOnlyItsOwn(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var user = await admin.CreateAsync("/api/users", new { name = "Ana", email = "ana@example.com", role = "Member" });
        var userId = user.GetProperty("id").GetInt32();
        Assert.Equal("Member", user.GetProperty("role").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/users", new { name = "ANA", role = "Member" });
        var noRole = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/users", new { name = "bo" });
        Assert.Contains("role", noRole.GetProperty("detail").GetString());

        var issued = await admin.CreateAsync($"/api/users/{userId}/tokens", new { name = "laptop" });
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        var ana = server.Client(token);
        Assert.Equal("Ana", (await ana.ReadAsync("/api/me")).GetProperty("name").GetString());

        var second = await ana.CreateAsync($"/api/users/{userId}/tokens", new { name = "ci" });
        var ownTokens = await ana.ReadAsync("/api/tokens");
        Assert.Equal(["laptop", "ci"], ownTokens.Names());
        // last_used says which tokens are in use (to the minute): "laptop" signed these requests, "ci" none yet.
        var lastUsed = ownTokens.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("last_used"));
        Assert.True((DateTime.UtcNow - lastUsed["laptop"].GetDateTime().ToUniversalTime()).Duration() < TimeSpan.FromMinutes(5), lastUsed["laptop"].ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lastUsed["ci"].ValueKind);
        // The list never shows a token value again.
        Assert.DoesNotContain(token, ownTokens.ToString());
        Assert.DoesNotContain(second.GetProperty("token").GetString()!, ownTokens.ToString());
        Assert.DoesNotContain(token, (await admin.ReadAsync("/api/tokens")).ToString());
        Assert.DoesNotContain("laptop", (await admin.ReadAsync("/api/tokens")).Names());

        // Nobody deletes another user's token through /api/tokens, not even an admin.
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/tokens/{issued.GetProperty("id").GetInt32()}");
        await ana.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/tokens/{second.GetProperty("id").GetInt32()}");
        await server.Client(second.GetProperty("token").GetString()).ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
        await ana.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/tokens/{issued.GetProperty("id").GetInt32()}");
        await ana.ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
        Assert.DoesNotContain(token, server.Logs.All);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AdminsChangeRolesButNotTheirOwn(StoreKind kind)
    {
        var server = await servers.For(kind);
        var (id, token) = await server.CreateUserAsync("mia", Role.Member);
        var promoted = await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/users/{id}", new { role = "Manager" });
        Assert.Equal("Manager", promoted.GetProperty("role").GetString());
        await server.Client(token).CreateConnectionAsync("now-allowed");
        Assert.Equal(["mia"], (await server.Admin.ReadAsync("/api/users?role=Manager")).Names());

        var me = (await server.Admin.ReadAsync("/api/me")).GetProperty("id").GetInt32();
        var problem = await server.Admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/users/{me}", new { role = "Member" });
        Assert.Contains("own role", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TeamMembersAreAddedChangedAndRemoved(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var team = await admin.CreateAsync("/api/teams", new { name = "Finance" });
        var teamId = team.GetProperty("id").GetInt32();
        Assert.False(team.GetProperty("builtin").GetBoolean());
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/teams", new { name = "finance" });
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/teams", new { name = "PUBLIC" });
        Assert.Equal(["Public", "Finance"], (await admin.ReadAsync("/api/teams")).Names());
        // Public has no members to add: everyone is a Viewer there, and no one an Editor of every team-less datastore.
        var publicId = (await admin.ReadAsync("/api/teams?name=Public")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var anyone = await admin.CreateIdAsync("/api/users", new { name = "Pat", role = "Member" });
        var refused = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/teams/{publicId}/members", new { user_id = anyone, permission = "Editor" });
        Assert.Contains("Viewer", refused.GetProperty("detail").GetString());

        var (userId, token) = await server.CreateUserAsync("ana-finance", Role.Member);
        var added = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{teamId}/members", new { user_id = userId, permission = "Viewer" });
        Assert.Equal("Viewer", Assert.Single(added.GetProperty("members").EnumerateArray()).GetProperty("permission").GetString());
        var changed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{teamId}/members", new { user_id = userId, permission = "Editor" });
        Assert.Equal("Editor", Assert.Single(changed.GetProperty("members").EnumerateArray()).GetProperty("permission").GetString());
        var teams = (await server.Client(token).ReadAsync("/api/me")).GetProperty("teams");
        Assert.Equal("Editor", Assert.Single(teams.EnumerateArray()).GetProperty("permission").GetString());

        var badPermission = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/teams/{teamId}/members", new { user_id = userId, permission = "Owner" });
        Assert.Contains("'permission' must be one of: Viewer, Author, Editor", badPermission.GetProperty("detail").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/teams/{teamId}/members", new { user_id = 999, permission = "Viewer" });
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/teams/999/members", new { user_id = userId, permission = "Viewer" });

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/teams/{teamId}/members/{userId}");
        Assert.Empty((await admin.ReadAsync($"/api/teams/{teamId}")).GetProperty("members").EnumerateArray());
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/teams/{teamId}/members/{userId}");

        var publicTeam = (await admin.ReadAsync("/api/teams?name=public")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/teams/{publicTeam}");
        var connection = await admin.CreateConnectionAsync("warehouse");
        await admin.CreateDatastoreAsync("ledger", connection, ["Finance"]);
        var onlyTeam = await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/teams/{teamId}");
        Assert.Contains("ledger", onlyTeam.GetProperty("detail").GetString());
    }
}
