using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

/// <summary>Creating many checks in one request: all of them, or none with every problem named by the item's index.</summary>
public sealed class QualityChecksBulkTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ABulkCreateWritesEveryCheckInOneRequest(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var items = Enumerable.Range(0, 300).Select(i => new
        {
            rule = "between", container_id = world.Orders, fields = new[] { "amount" }, properties = new { min = 0, max = 1000 + i }, uid = $"range-{i}",
        }).Cast<object>().Append(new { rule = "existsIn", datastore_id = world.DatastoreId, container_name = "orders", fields = new[] { "customer_id" },
            properties = new { ref_container = "customers", ref_field = "id" } }).ToArray();

        var created = await world.Server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/quality-checks/bulk", items);

        Assert.Equal(301, created.GetArrayLength());
        Assert.Equal("range-299", created[299].GetProperty("uid").GetString());
        Assert.Equal(["customer_id"], created[300].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var page = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/quality-checks?container={world.Orders}&size=1");
        Assert.Equal(301, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ABulkCreateWithOneBadItemWritesNothingAndNamesEachItemAndField(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        object[] items =
        [
            new { rule = "notNull", container_id = world.Orders, fields = new[] { "id" } },
            new { rule = "between", container_id = world.Orders, fields = new[] { "amount" }, properties = new { min = 10, max = 1 } },
            new { rule = "notNull", container_id = world.Orders, fields = new[] { "colour" } },
            new { rule = "notNull", container_id = world.Orders, fields = new[] { "id" } },
            new { rule = "volumetric", container_id = world.Orders, fields = Array.Empty<string>(), properties = new { } },
        ];

        var problem = await world.Server.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks/bulk", items);

        Assert.Contains("must not be greater than max", Assert.Single(Errors(problem, "[1].properties.min")));
        Assert.StartsWith("'colour' is not a field of container 'orders'.", Assert.Single(Errors(problem, "[2].fields")));
        Assert.Equal("is the same check as item 0 (same container, rule and fields); give each a distinct uid, or send it once.", Assert.Single(Errors(problem, "[3]")));
        Assert.Contains("volumetric needs a fixed range", Assert.Single(Errors(problem, "[4].properties")));
        Assert.Empty(Errors(problem, "[0]"));
        var page = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks");
        Assert.Equal(0, page.GetProperty("total").GetInt32());

        await world.Server.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks/bulk", Array.Empty<object>());
    }
}
