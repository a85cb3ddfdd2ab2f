using Quarry.Server.Connectors;
using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Enrichment;

public sealed class EnrichmentWriteBackTests
{
    private const string Samples = """[{"id": 7, "email": null, "note": "it's \"quoted\""}, {"id": 9, "email": null, "note": "café"}]""";

    [Theory]
    [ClassData(typeof(BothEnrichmentKinds))]
    public async Task AScanFillsTheFourEnrichmentTablesUnderItsPrefix(EnrichmentKind kind)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind);
        var (shop, orders) = await world.AddSourceAsync("shop", "_shop", "Order Items", "id", "email");
        var checks = await world.AddChecksAsync(orders, "email", 3);
        var operation = await world.RecordScanAsync(shop, checks, 1000, new Dictionary<int, (long, string)> { [checks[1]] = (42, Samples) });

        var written = await world.WriteBackAsync(operation);

        Assert.Equal(new EnrichmentWritten("results", "_shop", 1, 3, 1, 2), written);
        var scans = Assert.Single((await world.RowsAsync("_shop_scan_operations"))!);
        Assert.Equal((operation, shop, "shop", orders, "Order Items", 1000L), (Int(scans["operation_id"]), Int(scans["datastore_id"]), scans["datastore_name"],
            Int(scans["container_id"]), scans["container_name"], Convert.ToInt64(scans["records_processed"])));
        Assert.Equal((2, 1, 0, 1), (Int(scans["checks_passed"]), Int(scans["checks_failed"]), Int(scans["checks_unasserted"]), Int(scans["anomaly_count"])));
        Assert.NotNull(scans["start_time"]);

        var metrics = (await world.RowsAsync("_shop_check_metrics", "quality_check_id"))!;
        Assert.Equal(checks, metrics.Select(m => Int(m["quality_check_id"])));
        Assert.Equal(["passed", "failed", "passed"], metrics.Select(m => (string)m["result"]!));
        Assert.Equal([0L, 42L, 0L], metrics.Select(m => Convert.ToInt64(m["anomalous_records_count"])));
        Assert.All(metrics, m => Assert.Equal(1000L, Convert.ToInt64(m["asserted_records_count"])));
        Assert.All(metrics, m => Assert.Equal(("notNull", "Order Items"), ((string)m["rule_type"]!, (string)m["container_name"]!)));
        Assert.Equal(["email"], JsonSerializer.Deserialize<string[]>((string)metrics[0]["fields"]!)!);

        var anomaly = await world.WithStoreAsync(db => db.Anomalies.SingleAsync());
        var failed = Assert.Single((await world.RowsAsync("_shop_failed_checks"))!);
        Assert.Equal((anomaly.Id, anomaly.Uuid, checks[1], 42L, "Active"),
            (Int(failed["anomaly_id"]), (string)failed["anomaly_uuid"]!, Int(failed["quality_check_id"]), Convert.ToInt64(failed["anomalous_records_count"]), (string)failed["anomaly_status"]!));
        Assert.Equal(Int(metrics[1]["anomaly_id"]), anomaly.Id);

        var records = (await world.RowsAsync("_shop_source_records", "record_number"))!;
        Assert.Equal([1, 2], records.Select(r => Int(r["record_number"])));
        Assert.All(records, r => Assert.Equal((anomaly.Id, anomaly.Uuid), (Int(r["anomaly_id"]), (string)r["anomaly_uuid"]!)));
        var first = JsonDocument.Parse((string)records[0]["record"]!).RootElement;
        Assert.Equal((7, JsonValueKind.Null, "it's \"quoted\""), (first.GetProperty("id").GetInt32(), first.GetProperty("email").ValueKind, first.GetProperty("note").GetString()));
        Assert.Equal("café", JsonDocument.Parse((string)records[1]["record"]!).RootElement.GetProperty("note").GetString());
    }

    [Theory]
    [ClassData(typeof(BothEnrichmentKinds))]
    public async Task WritingTheSameScanAgainNeverDuplicatesItsRowsAndTheNextScanAppends(EnrichmentKind kind)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind);
        var (shop, orders, checks) = await world.AddShopAsync(2);
        var failing = new Dictionary<int, (long, string)> { [checks[0]] = (5, Samples) };
        var first = await world.RecordScanAsync(shop, checks, 100, failing);

        await world.WriteBackAsync(first);
        await world.WriteBackAsync(first);
        var second = await world.RecordScanAsync(shop, checks, 120, failing);
        await world.WriteBackAsync(second);

        foreach (var (table, perScan) in new[] { ("_shop_scan_operations", 1), ("_shop_check_metrics", 2), ("_shop_failed_checks", 1), ("_shop_source_records", 2) })
        {
            var rows = (await world.RowsAsync(table))!;
            Assert.Equal(perScan, rows.Count(r => Int(r["operation_id"]) == first));
            Assert.Equal(perScan, rows.Count(r => Int(r["operation_id"]) == second));
            Assert.Equal(2 * perScan, rows.Count);
            // In a folder, each table holds one Parquet file per scan, and nothing half-written is left beside them.
            if (world.Target.FilesFolder is { } folder)
                Assert.Equal([$"operation_{first}.parquet", $"operation_{second}.parquet"],
                    Directory.GetFiles(Path.Combine(folder, table)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task DatastoresSharingOneEnrichmentDatastoreWriteUnderTheirOwnPrefixes()
    {
        await using var world = await EnrichmentWorld.StartAsync(EnrichmentKind.Sqlite);
        var (sales, orders) = await world.AddSourceAsync("Prod Sales", "_prod_sales", "orders", "email");
        var (hr, people) = await world.AddSourceAsync("Prod HR", "_prod_hr", "people", "email");
        var salesChecks = await world.AddChecksAsync(orders, "email", 2);
        var hrChecks = await world.AddChecksAsync(people, "email", 3);

        await world.WriteBackAsync(await world.RecordScanAsync(sales, salesChecks, 10, new Dictionary<int, (long, string)>()));
        await world.WriteBackAsync(await world.RecordScanAsync(hr, hrChecks, 10, new Dictionary<int, (long, string)>()));

        Assert.Equal(salesChecks, (await world.RowsAsync("_prod_sales_check_metrics", "quality_check_id"))!.Select(r => Int(r["quality_check_id"])));
        Assert.Equal(hrChecks, (await world.RowsAsync("_prod_hr_check_metrics", "quality_check_id"))!.Select(r => Int(r["quality_check_id"])));
        Assert.Equal("Prod HR", Assert.Single((await world.RowsAsync("_prod_hr_scan_operations"))!)["datastore_name"]);
    }

    [Theory]
    [ClassData(typeof(BothEnrichmentKinds))]
    public async Task AScanWithThousandsOfChecksIsWrittenWhole(EnrichmentKind kind)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind);
        var (shop, orders, checks) = await world.AddShopAsync(2500);
        var failing = checks.Where((_, i) => i % 100 == 0).ToDictionary(c => c, c => (3L, Samples));

        var written = await world.WriteBackAsync(await world.RecordScanAsync(shop, checks, 50, failing));

        Assert.Equal((2500, 25, 50), (written!.CheckMetrics, written.FailedChecks, written.SourceRecords));
        var metrics = (await world.RowsAsync("_shop_check_metrics", "quality_check_id"))!;
        Assert.Equal(checks, metrics.Select(m => Int(m["quality_check_id"])));
        Assert.Equal(25, metrics.Count(m => (string)m["result"]! == "failed"));
        Assert.Equal(50, (await world.RowsAsync("_shop_source_records"))!.Count);
    }

    [Theory]
    [ClassData(typeof(BothEnrichmentKinds))]
    public async Task AWriteThatFailsPartWayLeavesNothingOfTheScanAndKeepsItsAnomaliesInQuarry(EnrichmentKind kind)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind);
        var (shop, orders, checks) = await world.AddShopAsync(2);
        // A table of the same name that someone made in another shape: the last of the four inserts fails.
        await world.Target.CreateTableOfAnotherShapeAsync("_shop_source_records");
        var operation = await world.RecordScanAsync(shop, checks, 100, new Dictionary<int, (long, string)> { [checks[0]] = (5, Samples) });

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => world.WriteBackAsync(operation));

        Assert.Contains("results are saved in Quarry (1 anomaly)", failure.Message);
        Assert.Contains("enrichment datastore 'results'", failure.Message);
        Assert.Contains("tables _shop_*", failure.Message);
        Assert.Contains("Table '_shop_source_records' in schema", failure.Message);
        Assert.Contains("(anomaly_id, anomaly_uuid, container_id, container_name, record_number, record, created_at missing)", failure.Message);
        // One transaction: it wrote no row anywhere, and the tables it would have created are not there (MySQL commits
        // a CREATE TABLE on its own, so there they stay, empty).
        foreach (var table in new[] { "_shop_check_metrics", "_shop_scan_operations" })
            if (kind == EnrichmentKind.MySql) Assert.Empty((await world.RowsAsync(table))!);
            else Assert.Null(await world.RowsAsync(table));
        Assert.Empty((await world.RowsAsync("_shop_source_records"))!);
        Assert.Equal(1, await world.WithStoreAsync(db => db.Anomalies.CountAsync()));
        Assert.Equal(2, await world.WithStoreAsync(db => db.CheckResults.CountAsync(r => r.OperationId == operation)));
    }

    [Fact]
    public async Task AUserWhoMayNotCreateTablesIsToldWhatToGrantAndThePasswordNeverShows()
    {
        var (user, password) = await SourceDatabases.CreatePasswordUserAsync();
        // The enrichment datastore's connection logs in as a user that may use the schema but not create tables in it.
        await using var world = await EnrichmentWorld.StartAsync(EnrichmentKind.PostgreSql, login: (user, password));
        var (shop, orders, checks) = await world.AddShopAsync(1);
        var operation = await world.RecordScanAsync(shop, checks, 100, new Dictionary<int, (long, string)> { [checks[0]] = (5, Samples) });

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => world.WriteBackAsync(operation));

        Assert.Equal(ConnectorFailure.PermissionDenied, failure.Failure);
        Assert.Contains($"GRANT USAGE, CREATE ON SCHEMA \"{EnrichmentTarget.PostgresSchema}\" TO \"{user}\"", failure.Message);
        Assert.DoesNotContain(password, failure.Message);
        Assert.DoesNotContain(password, world.Server.Logs.All);
        Assert.Equal(1, await world.WithStoreAsync(db => db.Anomalies.CountAsync()));
    }

    private static int Int(object? value) => Convert.ToInt32(value);
}
