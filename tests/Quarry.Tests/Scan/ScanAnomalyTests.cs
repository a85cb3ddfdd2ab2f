using Quarry.Server.Anomalies;
using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>What a failed check leaves behind: one anomaly per check, kept up to date by later scans, with its failing rows.</summary>
public sealed class ScanAnomalyTests
{
    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task AFailedCheckOpensAnAnomalyWithItsCountsMessageAndFailingRows(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders);
        var check = await world.AddCheckAsync("orders", "between", ["amount"], new { min = 0, max = 100 });

        var scan = await world.ScanAsync();

        var anomaly = Assert.Single(await world.AnomaliesAsync());
        Assert.Equal((check, scan.Id, scan.Id, AnomalyStatus.Active, AnomalyType.Record), (anomaly.CheckId, anomaly.OperationId, anomaly.LastOperationId, anomaly.Status, anomaly.AnomalyType));
        Assert.Equal((5L, 2L), (anomaly.AssertedRecords, anomaly.AnomalousRecords));
        Assert.Equal("2 of 5 rows have 'amount' outside 0 to 100.", anomaly.Message);
        var rows = JsonDocument.Parse(anomaly.SourceRecordsJson).RootElement.EnumerateArray().ToList();
        Assert.Equal([3, 4], rows.Select(r => r.GetProperty("id").GetInt32()).Order());
        Assert.Equal(["id", "email", "amount", "status", "qty", "code", "created_at", "note"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(anomaly.Id, (await world.ResultsAsync(scan.Id))[check].AnomalyId);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task ALaterScanUpdatesTheOpenAnomalyAndResolvesItOnlyWhenAsked(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders);
        var check = await world.AddCheckAsync("orders", "notNull", ["email"]);
        var first = await world.ScanAsync();

        await world.ExecuteAsync("UPDATE orders SET email = NULL WHERE id = 5;");
        var second = await world.ScanAsync();

        var anomaly = Assert.Single(await world.AnomaliesAsync());
        Assert.Equal((first.Id, second.Id, 2L), (anomaly.OperationId, anomaly.LastOperationId, anomaly.AnomalousRecords));
        Assert.Equal(1, second.Summary!.Value.GetProperty("anomalies_updated").GetInt32());

        await world.ExecuteAsync("UPDATE orders SET email = 'fixed@x.com' WHERE email IS NULL;");
        var passingWithoutResolve = await world.ScanAsync();
        Assert.Equal(CheckOutcome.Passed, (await world.ResultsAsync(passingWithoutResolve.Id))[check].Result);
        Assert.Equal(AnomalyStatus.Active, Assert.Single(await world.AnomaliesAsync()).Status);

        var resolving = await world.ScanAsync(resolvePassing: true);
        Assert.Equal(AnomalyStatus.Resolved, Assert.Single(await world.AnomaliesAsync()).Status);
        Assert.Contains("1 anomaly resolved", resolving.Details);

        // Once resolved, a new failure opens a new anomaly rather than reopening the old one.
        await world.ExecuteAsync("UPDATE orders SET email = NULL WHERE id = 1;");
        await world.ScanAsync();
        Assert.Equal([AnomalyStatus.Resolved, AnomalyStatus.Active], (await world.AnomaliesAsync()).Select(a => a.Status));
    }

    [Fact]
    public async Task CoverageLetsAShareOfRowsFailAndASampleLimitOfZeroKeepsNoRows()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ScanRuleTests.Orders);
        var tolerant = await world.AddCheckAsync("orders", "notNull", ["email"], coverage: 0.8);
        var strict = await world.AddCheckAsync("orders", "between", ["amount"], new { min = 0, max = 100 }, coverage: 0.8);
        (await world.SetSourceRecordLimitAsync(0)).EnsureSuccessStatusCode();
        var refused = await world.SetSourceRecordLimitAsync(-1);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("source_record_limit", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, (await Support.QuarryTestServer.GetJsonAsync<JsonElement>(world.Admin, $"/api/datastores/{world.DatastoreId}")).GetProperty("source_record_limit").GetInt32());

        var scan = await world.ScanAsync();

        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal((CheckOutcome.Passed, 1L), (results[tolerant].Result, results[tolerant].AnomalousRecords));
        Assert.Equal(CheckOutcome.Failed, results[strict].Result);
        var anomaly = Assert.Single(await world.AnomaliesAsync());
        Assert.Equal("2 of 5 rows have 'amount' outside 0 to 100 (coverage 80% allows 1).", anomaly.Message);
        Assert.Equal("[]", anomaly.SourceRecordsJson);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task AHugeTextInAFailingRowIsTruncated(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, "CREATE TABLE docs (id integer, body text);");
        await world.ExecuteAsync($"INSERT INTO docs VALUES (1, '{new string('z', 100_000)}');");
        await world.AddCheckAsync("docs", "maxLength", ["body"], new { value = 10 });

        await world.ScanAsync();

        var row = JsonDocument.Parse(Assert.Single(await world.AnomaliesAsync()).SourceRecordsJson).RootElement[0];
        var body = row.GetProperty("body").GetString()!;
        Assert.Equal(SourceRecords.MaxTextLength + 1, body.Length);
        Assert.EndsWith("…", body);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task UniqueKeepsEveryRowOfADuplicatedValueAsItsFailingRows(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders);
        await world.AddCheckAsync("orders", "unique", ["status", "qty"], filter: "qty < 5");
        await world.ExecuteAsync("INSERT INTO orders VALUES (6, 'f@x.com', 1, 'paid', 2, '1', '2024-01-01 00:00:00', 'dup'), (7, 'g@x.com', 1, 'new', 5, '1', '2024-01-01 00:00:00', 'dup of 5 but filtered');");

        await world.ScanAsync();

        var anomaly = Assert.Single(await world.AnomaliesAsync());
        Assert.Equal((5L, 2L), (anomaly.AssertedRecords, anomaly.AnomalousRecords));
        Assert.Equal([2, 6], JsonDocument.Parse(anomaly.SourceRecordsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).Order());
    }
}
