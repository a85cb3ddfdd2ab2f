using Quarry.Server.Anomalies;

namespace Quarry.Tests.Quality;

/// <summary>
/// Quality checks as the public Qualytics CLI creates, reads, exports and removes them: its create body is Quarry's,
/// its reader wants <c>rule_type</c>, field and tag objects, <c>status</c> and <c>additional_metadata</c>.
/// </summary>
public sealed class QualyticsCheckShapeTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ACheckCreatedWithTheQualyticsBodyAnswersInTheQualyticsShape(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        // The body the Qualytics CLI's check import sends (qualytics/services/quality_checks.py _build_create_payload).
        var created = await admin.CreateAsync("/api/quality-checks", new
        {
            container_id = world.Orders, rule = "notNull", description = "ids are set", fields = new[] { "id", "customer_id" },
            coverage = (double?)null, filter = (string?)null, properties = new { }, tags = new[] { "finance" },
            additional_metadata = new { _qualytics_check_uid = "orders__notnull__id_customer_id", owner = "data-team" }, status = "Active",
        });

        Assert.Equal("notNull", created.GetProperty("rule_type").GetString());
        Assert.Equal("notNull", created.GetProperty("rule").GetString());
        Assert.Equal(world.Orders, created.GetProperty("container").GetProperty("id").GetInt32());
        Assert.Equal("orders", created.GetProperty("container").GetProperty("name").GetString());
        var fields = created.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["id", "customer_id"], fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["integer", "integer"], fields.Select(f => f.GetProperty("type").GetString()));
        Assert.Equal(await FieldIdsAsync(world, world.Orders, "id", "customer_id"), fields.Select(f => f.GetProperty("id").GetInt32()));
        Assert.Equal(["finance"], created.GetProperty("global_tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("Active", created.GetProperty("status").GetString());
        Assert.Equal("orders__notnull__id_customer_id", created.GetProperty("additional_metadata").GetProperty("_qualytics_check_uid").GetString());

        // The CLI finds its checks again by the uid it keeps in additional_metadata, across pages of a datastore's list.
        var listed = await admin.ReadAsync($"/api/quality-checks?datastore={world.DatastoreId}&page=1&size=100&container={world.Orders}&container={world.Customers}&tag=finance");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal("data-team", item.GetProperty("additional_metadata").GetProperty("owner").GetString());

        var id = created.GetProperty("id").GetInt32();
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/quality-checks/{id}", new { additional_metadata = new { owner = "ops" } });
        Assert.Equal("""{"owner":"ops"}""", updated.GetProperty("additional_metadata").GetRawText());
        var untouched = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/quality-checks/{id}", new { description = "still" });
        Assert.Equal("ops", untouched.GetProperty("additional_metadata").GetProperty("owner").GetString());

        var notObject = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/quality-checks/{id}", new { additional_metadata = new[] { 1 } });
        Assert.Contains("additional_metadata", notObject.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnArchivedCheckLeavesTheListUntilAskedForAndTakesItsOpenAnomaliesAlong(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var kept = await admin.CreateIdAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "id" } });
        var archived = await admin.CreateIdAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "email" } });
        var anomaly = await AddOpenAnomalyAsync(world, archived);

        // What the Qualytics CLI sends by default to remove one check.
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/quality-checks/{archived}?archive=true&status=Resolved&delete_anomalies=false");
        Assert.Equal("Archived", (await admin.ReadAsync($"/api/quality-checks/{archived}")).GetProperty("status").GetString());
        Assert.Equal(AnomalyStatus.Resolved, await AnomalyStatusAsync(world, anomaly));
        Assert.Equal([kept], Ids(await admin.ReadAsync($"/api/quality-checks?datastore={world.DatastoreId}")));
        Assert.Equal([archived], Ids(await admin.ReadAsync("/api/quality-checks?status=Archived")));
        Assert.Equal([archived], Ids(await admin.ReadAsync("/api/quality-checks?archived=only")));
        Assert.Equal([kept, archived], Ids(await admin.ReadAsync("/api/quality-checks?archived=include")));
        Assert.Equal([kept], Ids(await admin.ReadAsync("/api/quality-checks?status=Active,Draft")));
        var badStatus = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/quality-checks?status=Gone");
        Assert.Contains("'status'", badStatus.GetProperty("detail").GetString());

        // Bulk: every item is checked before any is applied.
        var missing = await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/api/quality-checks",
            new object[] { new { id = kept }, new { id = 999_999 } });
        Assert.Contains("999999", missing.GetProperty("detail").GetString());
        await admin.ReadAsync($"/api/quality-checks/{kept}");
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "/api/quality-checks",
            new object[] { new { id = kept, archive = false }, new { id = archived, archive = false, delete_anomalies = true } });
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/quality-checks/{kept}");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/quality-checks/{archived}");
        Assert.Null(await AnomalyStatusAsync(world, anomaly));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AViewerCannotArchiveOrBulkDeleteChecksOfItsTeam(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind, teams: ["sales"]);
        var admin = world.Server.Admin;
        var check = await admin.CreateIdAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "id" } });
        var (viewerId, viewerToken) = await world.Server.CreateUserAsync("vic", Role.Member);
        var (_, outsiderToken) = await world.Server.CreateUserAsync("otto", Role.Member);
        var team = (await admin.ReadAsync("/api/teams?name=sales")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{team}/members", new { user_id = viewerId, permission = "Viewer" });

        var viewer = world.Server.Client(viewerToken);
        await viewer.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"/api/quality-checks/{check}?archive=true");
        await viewer.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, "/api/quality-checks", new object[] { new { id = check, archive = true } });
        await world.Server.Client(outsiderToken).ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/api/quality-checks", new object[] { new { id = check } });
        Assert.Equal("Active", (await admin.ReadAsync($"/api/quality-checks/{check}")).GetProperty("status").GetString());
    }

    private static int[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToArray();

    private static async Task<int[]> FieldIdsAsync(QualityWorld world, int container, params string[] names)
    {
        using var scope = world.Server.Services.CreateScope();
        var fields = await scope.ServiceProvider.GetRequiredService<QuarryDb>().Fields.Where(f => f.ContainerId == container).ToListAsync();
        return names.Select(n => fields.Single(f => f.Name == n).Id).ToArray();
    }

    private static async Task<int> AddOpenAnomalyAsync(QualityWorld world, int checkId)
    {
        using var scope = world.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var now = DateTime.UtcNow;
        var anomaly = new Anomaly { Uuid = Guid.NewGuid().ToString(), DatastoreId = world.DatastoreId, ContainerId = world.Orders, CheckId = checkId, Rule = "notNull", CreatedAt = now, UpdatedAt = now };
        db.Anomalies.Add(anomaly);
        await db.SaveChangesAsync();
        return anomaly.Id;
    }

    private static async Task<string?> AnomalyStatusAsync(QualityWorld world, int anomalyId)
    {
        using var scope = world.Server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<QuarryDb>().Anomalies.Where(a => a.Id == anomalyId).Select(a => a.Status).FirstOrDefaultAsync();
    }
}
