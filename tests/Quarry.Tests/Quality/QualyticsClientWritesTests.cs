namespace Quarry.Tests.Quality;

/// <summary>
/// Writes as the Qualytics CLI sends them (qualytics/services/quality_checks.py, services/containers.py): a check
/// created as a Draft, a computed join named with <c>left_join_field_name</c>/<c>right_join_field_name</c>, and a
/// container read back with its computed fields.
/// </summary>
public sealed class QualyticsClientWritesTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ACheckCreatedAsADraftStaysADraftUntilActivated(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        // The CLI's create payload: every key present, some of them null.
        var draft = await admin.CreateAsync("/api/quality-checks", new
        {
            container_id = world.Orders, rule = "notNull", description = "Imported quality check", fields = new[] { "email" }, coverage = (double?)null,
            filter = (string?)null, properties = new { }, tags = Array.Empty<string>(), additional_metadata = new { imported_from = "qualytics-cli" }, status = "Draft",
        });
        var active = await admin.CreateAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "status" } });
        var lower = await admin.CreateAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "amount" }, status = "draft" });

        Assert.Equal(("Draft", "Active", "Draft"), (draft.GetProperty("status").GetString(), active.GetProperty("status").GetString(), lower.GetProperty("status").GetString()));
        var id = draft.GetProperty("id").GetInt32();
        Assert.Equal("Draft", (await admin.ReadAsync($"/api/quality-checks/{id}")).GetProperty("status").GetString());
        var drafts = (await admin.ReadAsync($"/api/quality-checks?datastore={world.DatastoreId}&status=Draft")).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("id").GetInt32()).Order();
        Assert.Equal(new[] { id, lower.GetProperty("id").GetInt32() }.Order(), drafts);

        var wrong = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks",
            new { container_id = world.Orders, rule = "notNull", fields = new[] { "customer_id" }, status = "Sketch" });
        Assert.NotEmpty(QualityWorld.Errors(wrong, "status"));
        var activated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/quality-checks/{id}", new { status = "Active" });
        Assert.Equal("Active", activated.GetProperty("status").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AComputedJoinTakesTheQualyticsNamesOfItsJoinFields(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var join = await admin.CreateAsync("/api/containers", new
        {
            container_type = "computed_join", name = "orders_and_customers", datastore_id = world.DatastoreId, left_container_id = world.Orders,
            right_container_id = world.Customers, left_join_field_name = "customer_id", right_join_field_name = "id", join_type = "left",
            left_select = new[] { "id", "amount" }, right_select = new[] { "country" },
        });
        Assert.Equal(("customer_id", "id"), (join.GetProperty("left_field").GetString(), join.GetProperty("right_field").GetString()));
        var id = join.GetProperty("id").GetInt32();

        var renamed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/containers/{id}", new { left_join_field_name = "id" });
        Assert.Equal("id", renamed.GetProperty("left_field").GetString());

        var unknown = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/containers/{id}", new { right_join_field_name = "nope" });
        Assert.Contains("nope", string.Join(" ", QualityWorld.Errors(unknown, "right_field")));
        var disagree = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/containers/{id}",
            new { left_field = "id", left_join_field_name = "customer_id" });
        Assert.Contains("left_join_field_name", string.Join(" ", QualityWorld.Errors(disagree, "left_field")));
        Assert.Equal("id", (await admin.ReadAsync($"/api/computed-containers/{id}")).GetProperty("left_field").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AContainerListsItsComputedFields(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        Assert.Empty((await admin.ReadAsync($"/api/containers/{world.Orders}")).GetProperty("computed_fields").EnumerateArray());
        await admin.CreateAsync("/api/computed-fields", new
        {
            name = "clean_status", container_id = world.Orders, transformation = "cleanedEntity", source_fields = new[] { "status" }, description = "status, tidied",
        });
        await admin.CreateAsync("/api/computed-fields", new
        {
            name = "email_domain", container_id = world.Orders, transformation = "customExpression", source_fields = new[] { "email" },
            properties = new { expression = "lower(email)" },
        });
        await admin.CreateAsync("/api/computed-fields", new { name = "clean_name", container_id = world.Customers, transformation = "cleanedEntity", source_fields = new[] { "name" } });

        var orders = await admin.ReadAsync($"/api/containers/{world.Orders}");
        var fields = orders.GetProperty("computed_fields").EnumerateArray().ToList();
        Assert.Equal(["clean_status", "email_domain"], fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(("cleanedEntity", "status", "status, tidied"),
            (fields[0].GetProperty("transformation").GetString(), fields[0].GetProperty("source_fields")[0].GetString(), fields[0].GetProperty("description").GetString()));
        Assert.Equal("lower(email)", fields[1].GetProperty("properties").GetProperty("expression").GetString());
        Assert.Equal(("orders", 6), (orders.GetProperty("name").GetString(), orders.GetProperty("field_count").GetInt32()));
    }
}
