using Quarry.Server.Operations.Scan;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Enrichment;

/// <summary>Real scans of real sources, written into a real enrichment datastore and read back from its tables.</summary>
public sealed class ScanEnrichmentTests
{
    private const string Orders = """
        CREATE TABLE orders (id integer, email text, amount numeric(10,2));
        INSERT INTO orders VALUES (1, 'a@example.com', 10), (2, NULL, 20), (3, 'c@example.com', 30), (4, NULL, 40), (5, 'e@example.com', 50);
        """;

    [Theory]
    [InlineData("postgresql", EnrichmentKind.Sqlite)]
    [InlineData("sqlite", EnrichmentKind.PostgreSql)]
    [InlineData("files", EnrichmentKind.Files)]
    public async Task AScanOfALinkedDatastoreWritesItsResultsIntoTheEnrichmentTablesAndTheNextScanAppends(string source, EnrichmentKind kind)
    {
        await using var world = await ScanWorld.StartAsync(source, Orders);
        await using var target = await EnrichmentTarget.CreateAsync(world.Server, kind);
        await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{world.DatastoreId}/enrichment/{target.DatastoreId}?enrichment_prefix=_shop");
        var notNull = await world.AddCheckAsync("orders", "notNull", ["email"]);
        var between = await world.AddCheckAsync("orders", "between", ["amount"], new { min = 0, max = 100 });

        var first = await world.ScanAsync();

        Assert.Equal(OperationResult.Success, first.Result);
        Assert.Contains("Wrote 2 check metrics, 1 failed checks and 2 source records to enrichment datastore 'results' (_shop_*).", first.Details);
        var metrics = (await target.RowsAsync("_shop_check_metrics", "quality_check_id"))!;
        Assert.Equal([(notNull, "failed", 5L, 2L), (between, "passed", 5L, 0L)],
            metrics.Select(m => (Convert.ToInt32(m["quality_check_id"]), (string)m["result"]!, Convert.ToInt64(m["asserted_records_count"]), Convert.ToInt64(m["anomalous_records_count"]))));
        var anomaly = Assert.Single(await world.AnomaliesAsync());
        var failed = Assert.Single((await target.RowsAsync("_shop_failed_checks"))!);
        Assert.Equal((anomaly.Uuid, notNull), ((string)failed["anomaly_uuid"]!, Convert.ToInt32(failed["quality_check_id"])));
        var records = (await target.RowsAsync("_shop_source_records", "record_number"))!;
        Assert.Equal([2, 4], records.Select(r => JsonDocument.Parse((string)r["record"]!).RootElement.GetProperty("id").GetInt32()).Order());
        Assert.All(records, r => Assert.Equal(anomaly.Uuid, r["anomaly_uuid"]));
        var container = Assert.Single((await target.RowsAsync("_shop_scan_operations"))!);
        Assert.Equal(("orders", 5L, 1, 1), ((string)container["container_name"]!, Convert.ToInt64(container["records_processed"]),
            Convert.ToInt32(container["checks_passed"]), Convert.ToInt32(container["checks_failed"])));

        var second = await world.ScanAsync();

        Assert.Equal(OperationResult.Success, second.Result);
        var after = (await target.RowsAsync("_shop_check_metrics"))!;
        Assert.Equal(2, after.Count(m => Convert.ToInt32(m["operation_id"]) == first.Id));
        Assert.Equal(2, after.Count(m => Convert.ToInt32(m["operation_id"]) == second.Id));
        Assert.Equal(4, after.Count);

        // Writing the first scan again (as a retry would) replaces its rows: none is there twice.
        await using (var scope = world.Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<EnrichmentWriteBack>().WriteAsync(first.Id, CancellationToken.None);
        var rewritten = (await target.RowsAsync("_shop_check_metrics"))!;
        Assert.Equal(4, rewritten.Count);
        Assert.Equal(2, rewritten.Count(m => Convert.ToInt32(m["operation_id"]) == first.Id));
        Assert.Single((await target.RowsAsync("_shop_failed_checks"))!, f => Convert.ToInt32(f["operation_id"]) == first.Id);
    }

    [Fact]
    public async Task AScanWhoseWriteBackFailsEndsInFailureSaysWhatToFixAndKeepsItsAnomalies()
    {
        var (user, password) = await SourceDatabases.CreatePasswordUserAsync();
        await using var world = await ScanWorld.StartAsync("sqlite", Orders);
        await using var target = await EnrichmentTarget.CreateAsync(world.Server, EnrichmentKind.PostgreSql, login: (user, password));
        await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{world.DatastoreId}/enrichment/{target.DatastoreId}");
        await world.AddCheckAsync("orders", "notNull", ["email"]);

        var scan = await world.ScanAsync();

        Assert.Equal(OperationResult.Failure, scan.Result);
        Assert.StartsWith("The scan's results are saved in Quarry (1 anomaly), but writing them to enrichment datastore 'results'", scan.Message);
        Assert.Contains($"GRANT USAGE, CREATE ON SCHEMA \"{EnrichmentTarget.PostgresSchema}\" TO \"{user}\"", scan.Message);
        Assert.DoesNotContain(password, scan.Message);
        Assert.DoesNotContain(password, world.Server.Logs.All);
        var anomaly = Assert.Single(await world.AnomaliesAsync());
        Assert.Equal(2, anomaly.AnomalousRecords);
        Assert.Single(await world.ResultsAsync(scan.Id));
    }
}
