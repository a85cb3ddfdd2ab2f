using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

public sealed class ComputedTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AComputedFieldCanBeCheckedAndCannotBeDeletedWhileAChecksUsesIt(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (status, field, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", new
        {
            name = "amount_eur", container_id = world.Orders, transformation = "customExpression",
            source_fields = new[] { "amount" }, properties = new { expression = "amount * 0.92" }, description = "EUR",
        });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(["amount"], field.GetProperty("source_fields").EnumerateArray().Select(f => f.GetString()));

        var (checkStatus, check, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNegative", container_id = world.Orders, fields = new[] { "amount_eur" } });
        Assert.Equal(HttpStatusCode.Created, checkStatus);

        var (inUse, problem, _) = await admin.SendAsync(HttpMethod.Delete, $"/api/computed-fields/{field.GetProperty("id").GetInt32()}");
        Assert.Equal(HttpStatusCode.Conflict, inUse);
        Assert.Contains($"used by quality check(s) {check.GetProperty("id").GetInt32()}", problem.GetProperty("detail").GetString());

        var listed = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/computed-fields?datastore={world.DatastoreId}&name=AMOUNT_EUR");
        Assert.Equal(1, listed.GetProperty("total").GetInt32());

        // Renaming it would leave the check naming nothing, as deleting it would.
        var fieldId = field.GetProperty("id").GetInt32();
        var (renamed, renameProblem, _) = await admin.SendAsync(HttpMethod.Put, $"/api/computed-fields/{fieldId}", new { name = "amount_in_eur" });
        Assert.Equal(HttpStatusCode.Conflict, renamed);
        Assert.Contains("can't be renamed", renameProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Put, $"/api/computed-fields/{fieldId}", new { description = "in EUR" })).Status);

        // Nor may a computed field another one is computed from go.
        var (derivedStatus, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", new
        {
            name = "amount_eur_rounded", container_id = world.Orders, transformation = "customExpression",
            source_fields = new[] { "amount_eur" }, properties = new { expression = "round(amount_eur)" },
        });
        Assert.Equal(HttpStatusCode.Created, derivedStatus);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"/api/quality-checks/{check.GetProperty("id").GetInt32()}")).Status);
        var (source, sourceProblem, _) = await admin.SendAsync(HttpMethod.Delete, $"/api/computed-fields/{fieldId}");
        Assert.Equal(HttpStatusCode.Conflict, source);
        Assert.Contains("is a source of computed field(s) amount_eur_rounded", sourceProblem.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ComputedFieldMistakesAreNamed(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", new { name = "x", container_id = world.Orders, transformation = "upper", source_fields = new[] { "status" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Known transformations: cast, cleanedEntity, convertFormattedNumeric, customExpression.", Assert.Single(Errors(problem, "transformation")));

        (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", new { name = "status", container_id = world.Orders, transformation = "cast", source_fields = new[] { "statuz" }, properties = new { target_type = "decimal" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("already has a field named 'status'", Assert.Single(Errors(problem, "name")));
        Assert.Contains("'statuz' is not a field of container 'orders'", Assert.Single(Errors(problem, "source_fields")));
        Assert.Contains("must be one of integral", Assert.Single(Errors(problem, "properties.target_type")));

        var body = new { name = "clean_name", container_id = world.Customers, transformation = "cleanedEntity", source_fields = new[] { "name" } };
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", body)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, "/api/computed-fields", body with { name = "Clean_Name" })).Status);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AComputedJoinHasTheFieldsItSelectsAndChecksOnItAreValidated(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (status, join, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "orders_with_customers", datastore_id = world.DatastoreId, container_type = "computed_join", join_type = "left",
            left_container = "orders", right_container_id = world.Customers, left_field = "customer_id", right_field = "id",
            left_select = new[] { "id", "amount" }, right_select = new[] { "country" }, description = "orders and where they go",
        });
        Assert.True(status == HttpStatusCode.Created, join.ToString());
        Assert.Equal("computed_join", join.GetProperty("container_type").GetString());
        Assert.Equal("orders", join.GetProperty("left_container").GetProperty("name").GetString());
        Assert.Equal(["id", "amount", "country"], join.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var joinId = join.GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = joinId, fields = new[] { "country" } })).Status);
        var (bad, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notNull", container_id = joinId, fields = new[] { "name" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("'name' is not a field of container 'orders_with_customers'", Assert.Single(Errors(problem, "fields")));

        var (updated, changed, _) = await admin.SendAsync(HttpMethod.Put, $"/api/computed-containers/{joinId}", new { right_select = new[] { "country", "name" } });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(["id", "amount", "country", "name"], changed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("left", changed.GetProperty("join_type").GetString());

        var (inUse, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "again", datastore_id = world.DatastoreId, container_type = "computed_join", left_container = "orders_with_customers",
            right_container = "customers", left_field = "id", right_field = "id", left_select = new[] { "country" },
        });
        Assert.Equal(HttpStatusCode.Created, inUse);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Delete, $"/api/computed-containers/{joinId}")).Status);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ComputedContainerMistakesAreNamed(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new
        {
            name = "j", datastore_id = world.DatastoreId, container_type = "computed_join", join_type = "outer",
            left_container = "orders", right_container = "suppliers", left_field = "customer", right_field = "id",
            left_select = new[] { "id" }, right_select = new[] { "id" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be one of inner, left, right, full", Assert.Single(Errors(problem, "join_type")));
        Assert.Contains("no container named 'suppliers'", Assert.Single(Errors(problem, "right_container")));
        Assert.Contains("'id' is also selected from the left container", Assert.Single(Errors(problem, "right_select")));

        (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new { name = "t", datastore_id = world.DatastoreId, container_type = "computed_table", query = "delete from orders" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be a SELECT statement", Assert.Single(Errors(problem, "query")));

        (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new { name = "orders", datastore_id = world.DatastoreId, container_type = "computed_table", query = "select 1" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already has a container named 'orders' (table)", problem.GetProperty("detail").GetString());

        (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new { name = "x", datastore_id = world.DatastoreId, container_type = "view", query = "select 1" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("computed_table, computed_join", Assert.Single(Errors(problem, "container_type")));

        var (created, table, _) = await admin.SendAsync(HttpMethod.Post, "/api/computed-containers", new { name = "big_orders", datastore_id = world.DatastoreId, container_type = "computed_table", query = "SELECT * FROM orders WHERE amount > 1000;" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Empty(table.GetProperty("fields").EnumerateArray());
        var listed = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/computed-containers?datastore={world.DatastoreId}&type=computed_table");
        Assert.Equal("big_orders", Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        var typedLoosely = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/computed-containers?datastore={world.DatastoreId}&type=%20Computed_Table");
        Assert.Equal(1, typedLoosely.GetProperty("total").GetInt32());
        var joins = await QuarryTestServer.GetJsonAsync<JsonElement>(admin, $"/api/computed-containers?datastore={world.DatastoreId}&type=computed_join");
        Assert.Equal(0, joins.GetProperty("total").GetInt32());
    }
}
