namespace Quarry.Tests.Anomalies;

/// <summary>The status workflow: acknowledge, archive with a reason, delete, one at a time or many at once (all or nothing).</summary>
public sealed class AnomalyStatusTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnAnomalyIsAcknowledgedDescribedArchivedWithAReasonAndDeleted(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var anomalies = await world.ScanAnomaliesAsync();
        var amount = anomalies[world.AmountNotNull];
        var status = anomalies[world.StatusExpected];

        // Qualytics clients send tags and assignees too; Quarry ignores what it does not keep.
        var acknowledged = await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/anomalies/{amount}",
            new { status = "acknowledged", description = "  Known: the import leaves amount empty until invoicing.  ", tags = new[] { "x" }, assignee_ids = new[] { 1 } });
        Assert.Equal("Acknowledged", acknowledged.GetProperty("status").GetString());
        Assert.Equal("Known: the import leaves amount empty until invoicing.", acknowledged.GetProperty("description").GetString());
        Assert.NotEqual(JsonValueKind.Null, acknowledged.GetProperty("status_changed").ValueKind);
        var described = await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/anomalies/{amount}", new { description = "" });
        Assert.Equal("Acknowledged", described.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, described.GetProperty("description").ValueKind);
        var refused = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/anomalies/{amount}", new { status = "Fixed" });
        Assert.Equal("'Fixed' is not a status; use one of: Active, Acknowledged, Resolved, Invalid, Duplicate, Archived.",
            refused.GetProperty("errors").GetProperty("status")[0].GetString());

        // Archiving keeps the anomaly with the reason; Qualytics' "Discarded" is Quarry's "Archived".
        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/anomalies/{amount}?archive=true&status=Resolved");
        var resolved = await world.Admin.ReadAsync($"/api/anomalies/{amount}");
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());
        Assert.True(resolved.GetProperty("archived").GetBoolean());
        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/anomalies/{status}?archive=true&status=Discarded");
        Assert.Equal("Archived", (await world.Admin.ReadAsync($"/api/anomalies/{status}")).GetProperty("status").GetString());
        var openStatus = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Delete, $"/api/anomalies/{status}?archive=true&status=Active");
        Assert.StartsWith("'Active' is not a status here; use one of: Resolved", openStatus.GetProperty("errors").GetProperty("status")[0].GetString());
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Delete, $"/api/anomalies/{status}?status=Resolved");

        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/anomalies/{amount}");
        await world.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/anomalies/{amount}");
        // The scan's record of the failed check stays; it just no longer points at an anomaly.
        var result = (await world.Admin.ReadAsync($"/api/check-results?check={world.AmountNotNull}")).GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, result.GetProperty("anomaly_id").ValueKind);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnArchivedAnomalyIsNotReopenedWhileALaterScanHasOpenedAnotherForTheSameCheck(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var first = (await world.ScanAnomaliesAsync())[world.AmountNotNull];
        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/anomalies/{first}?archive=true");
        var second = (await world.ScanAnomaliesAsync())[world.AmountNotNull];
        Assert.NotEqual(first, second);

        var refused = await world.Admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/anomalies/{first}", new { status = "Active" });
        Assert.Contains($"anomaly {second} is already open for the same check", refused.GetProperty("detail").GetString());
        await world.Admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Patch, "/api/anomalies", new object[] { new { id = first, status = "Acknowledged" } });
        Assert.Equal("Archived", (await world.Admin.ReadAsync($"/api/anomalies/{first}")).GetProperty("status").GetString());

        // Closing the newer one in the same request leaves one open anomaly for the check: allowed.
        await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "/api/anomalies",
            new object[] { new { id = second, status = "Resolved" }, new { id = first, status = "Active" } });
        Assert.Equal("Active", (await world.Admin.ReadAsync($"/api/anomalies/{first}")).GetProperty("status").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task BulkChangesApplyToEveryAnomalyOrToNoneWhenOneIsMissing(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var anomalies = await world.ScanAnomaliesAsync();
        var (amount, status) = (anomalies[world.AmountNotNull], anomalies[world.StatusExpected]);

        var missing = await world.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Patch, "/api/anomalies",
            new object[] { new { id = amount, status = "Acknowledged" }, new { id = 999_999, status = "Acknowledged" } });
        Assert.Contains("999999", missing.GetProperty("detail").GetString());
        Assert.Equal("Active", (await world.Admin.ReadAsync($"/api/anomalies/{amount}")).GetProperty("status").GetString());
        var badItem = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, "/api/anomalies",
            new object[] { new { id = amount, status = "Acknowledged" }, new { id = status, status = "Gone" } });
        Assert.True(badItem.GetProperty("errors").TryGetProperty("[1].status", out _));
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, "/api/anomalies", new object[] { new { id = amount }, new { id = amount } });
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, "/api/anomalies", Array.Empty<object>());

        var updated = await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "/api/anomalies",
            new object[] { new { id = amount, status = "Acknowledged" }, new { id = status, status = "Acknowledged", description = "seen" } });
        Assert.Equal(["Acknowledged", "Acknowledged"], updated.EnumerateArray().Select(a => a.GetProperty("status").GetString()));
        Assert.Equal("seen", (await world.Admin.ReadAsync($"/api/anomalies/{status}")).GetProperty("description").GetString());

        await world.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/api/anomalies",
            new object[] { new { id = amount, archive = false }, new { id = 999_999, archive = false } });
        Assert.Equal(2, (await world.Admin.ReadAsync("/api/anomalies?archived=include")).GetProperty("total").GetInt32());

        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "/api/anomalies",
            new object[] { new { id = amount, archive = true, status = "Duplicate" }, new { id = status, archive = false } });
        var left = Assert.Single((await world.Admin.ReadAsync("/api/anomalies?archived=include")).GetProperty("items").EnumerateArray());
        Assert.Equal(amount, left.GetProperty("id").GetInt32());
        Assert.Equal("Duplicate", left.GetProperty("status").GetString());
    }
}
