namespace Quarry.Tests.FullConfig;

/// <summary>A prune's plan says what its apply does: names are matched the same way (trimmed, any case) in both.</summary>
public sealed class PrunePlanMatchesApplyTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ADatastoreRenamedOnlyInCaseOrWrittenWithATrailingSpaceKeepsTheConnectionItUsesInPlanAndApply(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var first = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", new
        {
            @namespace = "cfg",
            connections = new[] { new { name = "warehouse", type = "sqlite", path = "/tmp/w.db" } },
            datastores = new[] { new { name = "Sales", connection = "warehouse" }, new { name = "Orders", connection = "warehouse" } },
        });
        Assert.True(first.GetProperty("applied").GetBoolean(), first.ToString());

        // The connection's file is gone; one datastore changes only its case, the other gains a trailing space.
        var body = new
        {
            @namespace = "cfg",
            prune = new[] { "connection", "datastore" },
            datastores = new[] { new { name = "SALES", connection = "warehouse" }, new { name = "Orders ", connection = "warehouse" } },
        };
        var plan = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", body);
        var apply = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", body);

        Assert.Equal(Summary(plan), Summary(apply));
        Assert.Equal(["connection warehouse failed in_use", "datastore Orders unchanged", "datastore SALES update"], Summary(plan));
        Assert.Equal(2, (await admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await admin.ReadAsync("/api/connections")).GetProperty("total").GetInt32());
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    private static string[] Summary(JsonElement result) =>
        [.. result.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("name").GetString()} {i.GetProperty("action").GetString()}"
                + string.Concat(i.GetProperty("errors").EnumerateArray().Select(e => " " + e.GetProperty("code").GetString())))
            .Order(StringComparer.Ordinal)];
}
