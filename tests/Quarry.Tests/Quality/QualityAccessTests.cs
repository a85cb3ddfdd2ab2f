using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

/// <summary>Reading follows the datastore's visibility; changing needs Author in one of its teams, or Manager.</summary>
public sealed class QualityAccessTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AuthorsChangeChecksViewersOnlyReadAndOutsidersSeeNothing(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind, teams: ["finance"]);
        var server = world.Server;
        var team = (await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/teams?name=finance")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var (authorId, authorToken) = await server.CreateUserAsync("alice", Role.Member);
        var (viewerId, viewerToken) = await server.CreateUserAsync("victor", Role.Member);
        var (_, outsiderToken) = await server.CreateUserAsync("olga", Role.Member);
        var (_, managerToken) = await server.CreateUserAsync("mia", Role.Manager);
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, $"/api/teams/{team}/members", new { user_id = authorId, permission = "Author" });
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, $"/api/teams/{team}/members", new { user_id = viewerId, permission = "Viewer" });
        var (author, viewer, outsider, manager) = (server.Client(authorToken), server.Client(viewerToken), server.Client(outsiderToken), server.Client(managerToken));
        var check = new { rule = "notNull", container_id = world.Orders, fields = new[] { "id" } };

        var (created, body, _) = await author.SendAsync(HttpMethod.Post, "/api/quality-checks", check);
        Assert.Equal(HttpStatusCode.Created, created);
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await author.SendAsync(HttpMethod.Put, $"/api/quality-checks/{id}", new { description = "primary key" })).Status);

        var (viewerCreate, problem, _) = await viewer.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "unique", container_id = world.Orders, fields = new[] { "id" } });
        Assert.Equal(HttpStatusCode.Forbidden, viewerCreate);
        Assert.Contains("needs the Author or Editor permission", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Put, $"/api/quality-checks/{id}", new { description = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Delete, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await viewer.SendAsync(HttpMethod.Get, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(1, (await QuarryTestServer.GetJsonAsync<JsonElement>(viewer, "/api/quality-checks")).GetProperty("total").GetInt32());

        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(outsider, "/api/quality-checks")).GetProperty("total").GetInt32());
        // An outsider is answered as about a check and a container that do not exist (AccessMatrixOracleTests).
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.SendAsync(HttpMethod.Get, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await outsider.SendAsync(HttpMethod.Post, "/api/computed-fields",
            new { name = "x", container_id = world.Orders, transformation = "cleanedEntity", source_fields = new[] { "email" } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, "/api/computed-containers",
            new { name = "big", datastore_id = world.DatastoreId, container_type = "computed_table", query = "select * from orders where amount > 100" })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await manager.SendAsync(HttpMethod.Delete, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(null).SendAsync(HttpMethod.Get, "/api/quality-checks")).Status);
    }
}
