namespace Quarry.Tests.Anomalies;

/// <summary>Reading anomalies after a scan: the Qualytics shape, the filters, and the failing rows kept as source records.</summary>
public sealed class AnomaliesApiTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AScanSAnomaliesListInTheQualyticsShapeWithTheirSourceRecords(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var scan = await world.ScanAsync();

        var page = await world.Admin.ReadAsync($"/api/anomalies?datastore={world.Datastore}");
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        var amount = Single(page, a => a.GetProperty("rule_type").GetString() == "notNull");
        Assert.Equal("Active", amount.GetProperty("status").GetString());
        Assert.Equal("record", amount.GetProperty("type").GetString());
        Assert.False(amount.GetProperty("archived").GetBoolean());
        Assert.True(Guid.TryParse(amount.GetProperty("uuid").GetString(), out _));
        Assert.Equal(world.Datastore, amount.GetProperty("datastore").GetProperty("id").GetInt32());
        Assert.Equal("shop", amount.GetProperty("datastore").GetProperty("name").GetString());
        Assert.Equal("orders", amount.GetProperty("container").GetProperty("name").GetString());
        Assert.Equal(2, amount.GetProperty("anomalous_records_count").GetInt64());
        Assert.Equal(5, amount.GetProperty("asserted_records_count").GetInt64());
        Assert.Equal(scan, amount.GetProperty("operation_id").GetInt32());
        var failed = Assert.Single(amount.GetProperty("failed_checks").EnumerateArray()).GetProperty("quality_check");
        Assert.Equal(world.AmountNotNull, failed.GetProperty("id").GetInt32());
        Assert.Equal(["amount"], failed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.True(amount.TryGetProperty("created", out _));

        var id = amount.GetProperty("id").GetInt32();
        Assert.Equal(amount.ToString(), (await world.Admin.ReadAsync($"/api/anomalies/{id}")).ToString());
        var records = await world.Admin.ReadAsync($"/api/anomalies/{id}/source-records");
        Assert.Equal(["id", "amount", "status", "email"], records.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["amount"], records.GetProperty("anomalous_fields").EnumerateArray().Select(f => f.GetString()));
        var rows = records.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([2, 4], rows.Select(r => r.GetProperty("id").GetInt32()).Order());
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("amount").ValueKind));

        await world.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/anomalies/999999");
        await world.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/anomalies/999999/source-records");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EveryFilterNarrowsTheListAndAnUnknownOrMisspelledParameterIsRefusedByName(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var first = await world.ScanAsync();
        var anomalies = await StoredScans.AnomaliesOfAsync(world.Server, first);
        var amount = anomalies[world.AmountNotNull];
        var status = anomalies[world.StatusExpected];
        await world.Admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/anomalies/{status}?archive=true&status=Invalid");
        var second = await world.ScanAsync();
        var reopened = (await StoredScans.AnomaliesOfAsync(world.Server, second))[world.StatusExpected];
        Assert.NotEqual(status, reopened);

        async Task<int[]> Ids(string query) => (await world.Admin.ReadAsync("/api/anomalies?" + query)).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("id").GetInt32()).Order().ToArray();

        // Without a status, archived anomalies are left out unless asked for, as Qualytics clients expect.
        Assert.Equal([amount, reopened], await Ids($"datastore={world.Datastore}"));
        Assert.Equal([amount, status, reopened], await Ids($"datastore={world.Datastore}&archived=include"));
        Assert.Equal([status], await Ids($"datastore={world.Datastore}&archived=only"));
        Assert.Equal([status], await Ids("status=Invalid"));
        Assert.Equal([amount, status, reopened], await Ids("status=Active,Invalid"));
        Assert.Equal([amount, status, reopened], await Ids("status=active&status=invalid"));
        Assert.Equal([status, reopened], await Ids($"quality_check={world.StatusExpected}&archived=include"));
        Assert.Equal([reopened], await Ids($"check={world.StatusExpected}"));
        Assert.Equal([amount, reopened], await Ids($"container={world.Orders}"));
        Assert.Empty(await Ids($"container={world.Customers}"));
        Assert.Equal([status], await Ids($"operation={first}&archived=only"));
        Assert.Equal([amount, reopened], await Ids($"operation={second}"));
        Assert.Equal([amount], await Ids("rule_type=notNull"));
        Assert.Equal([amount], await Ids("tag=finance"));
        Assert.Equal([amount, reopened], await Ids("anomaly_type=record"));
        Assert.Empty(await Ids("anomaly_type=shape"));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([amount, reopened], await Ids($"start_date={today}&end_date={today}"));
        Assert.Empty(await Ids("end_date=2000-01-01"));
        Assert.Empty(await Ids($"start_date={DateTime.UtcNow.AddDays(2):yyyy-MM-dd}"));
        var oldestFirst = (await world.Admin.ReadAsync("/api/anomalies?sort_created=asc&archived=include")).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetInt32());
        Assert.Equal(reopened, oldestFirst.Last());
        var paged = await world.Admin.ReadAsync("/api/anomalies?archived=include&size=1&page=2");
        Assert.Equal(3, paged.GetProperty("total").GetInt32());
        Assert.Single(paged.GetProperty("items").EnumerateArray());

        var unknown = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/anomalies?stauts=Active&datastore=1");
        Assert.Contains("'stauts'", unknown.GetProperty("detail").GetString());
        Assert.DoesNotContain("'datastore'", unknown.GetProperty("detail").GetString());
        var notAStatus = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/anomalies?status=Open");
        Assert.Contains("Acknowledged", notAStatus.GetProperty("errors").GetProperty("status")[0].GetString());
        var badDate = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/anomalies?start_date=31/01/2026");
        Assert.True(badDate.GetProperty("errors").TryGetProperty("start_date", out _));
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/anomalies?archived=sometimes");
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/anomalies/{amount}?verbose=true");
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Delete, $"/api/anomalies/{amount}?archived=true");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TheLatestCheckResultsAndContainerScansOfADatastoreAreTheNewestScans(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        await world.ScanAsync();
        var second = await world.ScanAsync();

        var results = await world.Admin.ReadAsync($"/api/check-results?datastore={world.Datastore}&latest=true");
        Assert.Equal(4, results.GetProperty("total").GetInt32());
        Assert.All(results.GetProperty("items").EnumerateArray(), r => Assert.Equal(second, r.GetProperty("operation_id").GetInt32()));
        var amount = results.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("check_id").GetInt32() == world.AmountNotNull);
        Assert.Equal("failed", amount.GetProperty("result").GetString());
        Assert.Equal(2, amount.GetProperty("anomalous_records_count").GetInt64());
        Assert.Equal("orders", amount.GetProperty("container").GetProperty("name").GetString());
        Assert.Equal(8, (await world.Admin.ReadAsync($"/api/check-results?datastore={world.Datastore}")).GetProperty("total").GetInt32());
        Assert.Equal(2, (await world.Admin.ReadAsync($"/api/check-results?datastore={world.Datastore}&latest=true&result=failed")).GetProperty("total").GetInt32());

        var scans = await world.Admin.ReadAsync($"/api/container-scans?datastore={world.Datastore}&latest=true");
        var orders = scans.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("container_id").GetInt32() == world.Orders);
        Assert.Equal(2, scans.GetProperty("total").GetInt32());
        Assert.Equal(second, orders.GetProperty("operation_id").GetInt32());
        Assert.Equal(5, orders.GetProperty("record_count").GetInt64());
        Assert.Equal(2, orders.GetProperty("checks_failed").GetInt32());
        Assert.Equal(1, orders.GetProperty("checks_passed").GetInt32());
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/check-results?result=maybe");
        await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/container-scans?lastest=true");
    }

    /// <summary>The anomaly operations the Qualytics CLI checks for before it runs (its compatibility list) are all described.</summary>
    [Fact]
    public async Task TheApiDescriptionOffersEveryAnomalyOperationQualyticsClientsCall()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var paths = (await server.Client(null).ReadAsync("/api/openapi.json")).GetProperty("paths").EnumerateObject()
            .ToDictionary(p => p.Name.TrimEnd('/'), p => p.Value.EnumerateObject().Select(o => o.Name.ToUpperInvariant()).ToHashSet());
        foreach (var (method, path) in new[]
                 {
                     ("GET", "/api/anomalies"), ("PATCH", "/api/anomalies"), ("DELETE", "/api/anomalies"), ("GET", "/api/anomalies/{id}"),
                     ("PUT", "/api/anomalies/{id}"), ("DELETE", "/api/anomalies/{id}"), ("GET", "/api/anomalies/{id}/source-records"),
                 })
            Assert.True(paths.TryGetValue(path, out var methods) && methods.Contains(method), $"{method} {path} is not in /api/openapi.json");
    }

    private static JsonElement Single(JsonElement page, Func<JsonElement, bool> match) =>
        Assert.Single(page.GetProperty("items").EnumerateArray(), a => match(a));
}
