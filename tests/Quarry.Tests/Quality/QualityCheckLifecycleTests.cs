using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

public sealed class QualityCheckLifecycleTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TheSameRuleOnTheSameFieldsInAnyOrderIsOneCheckUnlessUidsDiffer(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (status, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "unique", container_id = world.Orders, fields = new[] { "customer_id", "id" } });
        Assert.Equal(HttpStatusCode.Created, status);

        var (again, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "unique", container_id = world.Orders, fields = new[] { "id", "customer_id" } });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already has a unique check on (id, customer_id)", problem.GetProperty("detail").GetString());

        var (withUid, body, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "unique", container_id = world.Orders, fields = new[] { "id", "customer_id" }, uid = "orders-pk-2" });
        Assert.Equal(HttpStatusCode.Created, withUid);
        Assert.Equal("orders-pk-2", body.GetProperty("uid").GetString());
        var (sameUid, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = world.Orders, fields = new[] { "id" }, uid = "orders-pk-2" });
        Assert.Equal(HttpStatusCode.Conflict, sameUid);

        // The same rule and fields on another container is another check.
        var (other, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "unique", container_id = world.Customers, fields = new[] { "id" } });
        Assert.Equal(HttpStatusCode.Created, other);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUpdateKeepsWhatItLeavesOutAndAnInvalidUpdateChangesNothing(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (_, created, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new
        {
            rule = "between", container_id = world.Orders, fields = new[] { "amount" }, properties = new { min = 0, max = 100 },
            filter = "status <> 'cancelled'", coverage = 0.95, description = "sane amounts", tags = new[] { "finance" },
        });
        var id = created.GetProperty("id").GetInt32();

        var (status, updated, _) = await admin.SendAsync(HttpMethod.Put, $"/api/quality-checks/{id}", new { properties = new { min = 0, max = 500 } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(500, updated.GetProperty("properties").GetProperty("max").GetInt32());
        Assert.Equal("status <> 'cancelled'", updated.GetProperty("filter").GetString());
        Assert.Equal(0.95, updated.GetProperty("coverage").GetDouble());
        Assert.Equal("sane amounts", updated.GetProperty("description").GetString());
        Assert.Equal(["finance"], updated.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var (bad, problem, _) = await admin.SendAsync(HttpMethod.Put, $"/api/quality-checks/{id}", new { properties = new { min = 9, max = 1 }, coverage = 1.5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotEmpty(Errors(problem, "properties.min"));
        Assert.Contains("must be more than 0 and at most 1", Assert.Single(Errors(problem, "coverage")));
        var unchanged = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/quality-checks/{id}");
        Assert.Equal(500, unchanged.GetProperty("properties").GetProperty("max").GetInt32());
        Assert.Equal(0.95, unchanged.GetProperty("coverage").GetDouble());

        var (moved, _, _) = await admin.SendAsync(HttpMethod.Put, $"/api/quality-checks/{id}", new { container_id = world.Customers });
        Assert.Equal(HttpStatusCode.BadRequest, moved);

        var (deleted, _, _) = await admin.SendAsync(HttpMethod.Delete, $"/api/quality-checks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var (gone, _, _) = await admin.SendAsync(HttpMethod.Get, $"/api/quality-checks/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task DeletingTheDatastoreRemovesItsChecksComputedFieldsAndComputedContainers(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = world.Orders, fields = new[] { "id" } });
        await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", new { name = "email_domain", container_id = world.Orders, transformation = "customExpression", source_fields = new[] { "email" }, properties = new { expression = "split_part(email, '@', 2)" } });
        var (joined, join, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "orders_with_customers", datastore_id = world.DatastoreId, container_type = "computed_join",
            left_container = "orders", right_container = "customers", left_field = "customer_id", right_field = "id",
            left_select = new[] { "id", "amount" }, right_select = new[] { "country" },
        });
        Assert.Equal(HttpStatusCode.Created, joined);
        await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = join.GetProperty("id").GetInt32(), fields = new[] { "country" } });

        var (deleted, _, _) = await admin.SendAsync(HttpMethod.Delete, $"/api/datastores/{world.DatastoreId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        foreach (var list in new[] { "/api/quality-checks", "/api/computed-fields", "/api/computed-containers" })
            Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(admin, list)).GetProperty("total").GetInt32());
    }
}
