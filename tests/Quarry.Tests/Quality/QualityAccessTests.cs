using System.Net;
using System.Text.Json;
using Quarry.Server.Access;
using Quarry.Server.Store;
using Quarry.Tests.Support;
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

        var (created, body) = await PostAsync(author, "/api/quality-checks", check);
        Assert.Equal(HttpStatusCode.Created, created);
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(author, HttpMethod.Put, $"/api/quality-checks/{id}", new { description = "primary key" })).Status);

        var (viewerCreate, problem) = await PostAsync(viewer, "/api/quality-checks", new { rule = "unique", container_id = world.Orders, fields = new[] { "id" } });
        Assert.Equal(HttpStatusCode.Forbidden, viewerCreate);
        Assert.Contains("needs the Author or Editor permission", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(viewer, HttpMethod.Put, $"/api/quality-checks/{id}", new { description = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(viewer, HttpMethod.Delete, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer, HttpMethod.Get, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(1, (await QuarryTestServer.GetJsonAsync<JsonElement>(viewer, "/api/quality-checks")).GetProperty("total").GetInt32());

        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(outsider, "/api/quality-checks")).GetProperty("total").GetInt32());
        // An outsider is answered as about a check and a container that do not exist (AccessMatrixOracleTests).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(outsider, HttpMethod.Get, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(outsider, "/api/computed-fields",
            new { name = "x", container_id = world.Orders, transformation = "cleanedEntity", source_fields = new[] { "email" } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(viewer, "/api/computed-containers",
            new { name = "big", datastore_id = world.DatastoreId, container_type = "computed_table", query = "select * from orders where amount > 100" })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(manager, HttpMethod.Delete, $"/api/quality-checks/{id}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server.Client(null), HttpMethod.Get, "/api/quality-checks")).Status);
    }
}
