using System.Globalization;
using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>
/// The rules that look beyond one row (existsIn, volumetric, freshness, aggregationComparison, isReplicaOf), passing and
/// failing with exact counts, at each kind of real source.
/// </summary>
public sealed class ScanContainerRuleTests
{
    /// <summary>
    /// Orders (one with a customer that does not exist, one created an hour ago), their customers and invoices (one total
    /// 5 short), a copy of the orders missing order 2 and holding an extra order 6, and an exact backup.
    /// </summary>
    private static string Shop()
    {
        var recent = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return $"""
            CREATE TABLE orders (id integer NOT NULL, customer_id integer, amount numeric(10,2), created_at timestamp);
            INSERT INTO orders VALUES (1, 10, 10.5, '2024-01-01 10:00:00'), (2, 20, 20, '2024-02-01 10:00:00'), (3, 30, 30, '{recent}'),
              (4, 99, 40, '2024-03-01 10:00:00'), (5, NULL, 50, '2024-04-01 10:00:00');
            CREATE TABLE customers (id integer NOT NULL, name varchar(20));
            INSERT INTO customers VALUES (10, 'a'), (20, 'b'), (30, 'c');
            CREATE TABLE invoices (order_id integer NOT NULL, total numeric(10,2));
            INSERT INTO invoices VALUES (1, 10.5), (2, 20), (3, 30), (4, 40), (5, 45);
            CREATE TABLE orders_copy (id integer NOT NULL, customer_id integer, amount numeric(10,2), created_at timestamp);
            INSERT INTO orders_copy SELECT * FROM orders WHERE id <> 2;
            INSERT INTO orders_copy VALUES (6, 10, 60, '2024-06-01 10:00:00');
            CREATE TABLE orders_backup (id integer NOT NULL, customer_id integer, amount numeric(10,2), created_at timestamp);
            INSERT INTO orders_backup SELECT * FROM orders;
            """;
    }

    private static readonly (string Rule, string[] Fields, object? Properties, string? Filter, string Outcome, long Failing)[] Cases =
    [
        ("existsIn", ["customer_id"], new { ref_container = "customers", ref_field = "id" }, null, CheckOutcome.Failed, 1),
        ("existsIn", ["customer_id"], new { ref_container = "customers", ref_field = "id" }, "id <> 4", CheckOutcome.Passed, 0),
        ("volumetric", [], new { min = 1, max = 10 }, null, CheckOutcome.Passed, 0),
        ("volumetric", [], new { max = 3 }, null, CheckOutcome.Failed, 2),
        ("freshness", ["created_at"], new { max_age = "1d" }, null, CheckOutcome.Passed, 0),
        ("freshness", ["created_at"], new { max_age = "7d" }, "id <> 3", CheckOutcome.Failed, 4),
        ("aggregationComparison", [], new { expression = "sum(amount)", ref_container = "invoices", ref_expression = "sum(total)", tolerance = 5 }, null, CheckOutcome.Passed, 0),
        ("aggregationComparison", [], new { expression = "sum(amount)", ref_container = "invoices", ref_expression = "sum(total)" }, null, CheckOutcome.Failed, 1),
        ("aggregationComparison", [], new { expression = "sum(amount)", ref_container = "invoices", ref_expression = "sum(total)", comparison = "gt" }, null, CheckOutcome.Passed, 0),
        ("isReplicaOf", [], new { ref_container = "orders_backup" }, null, CheckOutcome.Passed, 0),
        ("isReplicaOf", [], new { ref_container = "orders_copy" }, null, CheckOutcome.Failed, 2),
        ("isReplicaOf", ["id"], new { ref_container = "orders_copy" }, "id <> 2", CheckOutcome.Failed, 1),
    ];

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task EachContainerRuleFindsExactlyWhatBreaksIt(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop());
        var (_, ids, _) = await world.ScanCasesAsync("orders", Cases);

        var anomalies = await world.AnomaliesAsync();
        Assert.Equal(Cases.Count(c => c.Outcome == CheckOutcome.Failed), anomalies.Count);
        var missing = anomalies.Single(a => a.CheckId == ids[0]);
        Assert.Equal(("1 of 5 rows have 'customer_id' not found in 'id' of 'customers'.", AnomalyType.Record), (missing.Message, missing.AnomalyType));
        Assert.Equal([4], Records(missing).Select(r => r.GetProperty("id").GetInt32()));
        var replica = anomalies.Single(a => a.CheckId == ids[10]);
        Assert.Equal("1 row of 'orders' is not in 'orders_copy', and 1 row of 'orders_copy' is not in 'orders' (distinct rows, compared on id, customer_id, amount, created_at).",
            replica.Message);
        Assert.Equal([2, 6], Records(replica).Select(r => r.GetProperty("id").GetInt32()));
        var volume = anomalies.Single(a => a.CheckId == ids[3]);
        Assert.Equal(("'orders' has 5 rows; expected between 0 and 3.", AnomalyType.Shape), (volume.Message, volume.AnomalyType));
        Assert.StartsWith("The newest 'created_at' is 2024-04-01 10:00:00", anomalies.Single(a => a.CheckId == ids[5]).Message);
        Assert.Equal("sum(amount) of 'orders' is 150.5; expected equal to sum(total) of 'invoices', 145.5.", anomalies.Single(a => a.CheckId == ids[7]).Message);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task VolumetricWithAToleranceTakesTheFirstScanAsItsBaselineThenComparesWithIt(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop());
        var check = await world.AddCheckAsync("orders", "volumetric", [], new { tolerance_percent = 10 });

        var first = (await world.ResultsAsync((await world.ScanAsync()).Id))[check];
        Assert.Equal((CheckOutcome.Passed, 5L), (first.Result, first.AssertedRecords));
        Assert.Equal("No earlier scan recorded a row count for this check: 5 rows is the baseline the next scans compare with.", first.Message);

        await world.ExecuteAsync("INSERT INTO orders VALUES (6, 10, 1, '2024-01-01 10:00:00'), (7, 10, 1, '2024-01-01 10:00:00'), (8, 10, 1, '2024-01-01 10:00:00');");
        var second = (await world.ResultsAsync((await world.ScanAsync()).Id))[check];
        // 8 rows against 5 ± 10% (4.5 to 5.5): 3 rows beyond the allowed range.
        Assert.Equal((CheckOutcome.Failed, 8L, 3L), (second.Result, second.AssertedRecords, second.AnomalousRecords));
        Assert.Equal("'orders' has 8 rows; expected within 10% of 5 (the average of the last 1 scan).", second.Message);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task AContainerWithOnlyRulesOfTheirOwnRecordsItsRowCountAndTheRowsEachRuleAsserted(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop());
        await using var target = await Enrichment.EnrichmentTarget.CreateAsync(world.Server, Enrichment.EnrichmentKind.Sqlite);
        await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{world.DatastoreId}/enrichment/{target.DatastoreId}?enrichment_prefix=_shop");
        // Filtered, so no rule counts every row: the container's rows need a count of their own.
        var volume = await world.AddCheckAsync("customers", "volumetric", [], new { min = 1 }, filter: "id > 10");
        var sums = await world.AddCheckAsync("invoices", "aggregationComparison", [], new { expression = "sum(total)", ref_container = "orders", ref_expression = "sum(amount)" });
        var fresh = await world.AddCheckAsync("orders_copy", "freshness", ["created_at"], new { max_age = "1d" }, filter: "id <> 6");
        var exists = await world.AddCheckAsync("orders_backup", "existsIn", ["customer_id"], new { ref_container = "customers", ref_field = "id" });

        var scan = await world.ScanAsync(["customers", "invoices", "orders_copy", "orders_backup"]);

        Assert.Equal(OperationResult.Success, scan.Result);
        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal([(volume, 2L), (sums, 5L), (fresh, 4L), (exists, 5L)],
            new[] { volume, sums, fresh, exists }.Select(id => (id, results[id].AssertedRecords ?? -1)));
        var containers = await world.ContainerScansAsync(scan.Id);
        var names = (await SyncApi.ContainersAsync(world.Admin, world.DatastoreId)).ToDictionary(c => c.Id, c => c.Name);
        Assert.Equal([("customers", 3L), ("invoices", 5L), ("orders_backup", 5L), ("orders_copy", 5L)],
            containers.Select(c => (names[c.ContainerId], c.RecordCount ?? -1)).OrderBy(c => c.Item1, StringComparer.Ordinal));

        var metrics = (await target.RowsAsync("_shop_check_metrics", "quality_check_id"))!;
        Assert.Equal([(volume, 2L), (sums, 5L), (fresh, 4L), (exists, 5L)],
            metrics.Select(m => (Convert.ToInt32(m["quality_check_id"]), Convert.ToInt64(m["asserted_records_count"]))).OrderBy(m => m.Item1));
        var processed = (await target.RowsAsync("_shop_scan_operations", "container_name"))!;
        Assert.Equal([("customers", 3L), ("invoices", 5L), ("orders_backup", 5L), ("orders_copy", 5L)],
            processed.Select(p => ((string)p["container_name"]!, Convert.ToInt64(p["records_processed"]))));
    }

    [Fact]
    public async Task ARuleComparesWithAContainerOfAnotherDatastoreOfTheSameConnectionAndRefusesOneOnAnotherConnection()
    {
        await using var world = await ScanWorld.StartAsync("postgresql", Shop());
        await world.ExecuteAsync("CREATE SCHEMA crm; CREATE TABLE crm.clients (id integer NOT NULL); INSERT INTO crm.clients VALUES (10), (20);");
        var database = (await world.Admin.ReadAsync($"/api/datastores/{world.DatastoreId}")).GetProperty("database").GetString();
        var crm = await SyncApi.CreateDatastoreAsync(world.Admin, world.ConnectionId, "crm", database, "crm");
        await SyncApi.SyncAsync(world.Admin, crm);
        var check = await world.AddCheckAsync("orders", "existsIn", ["customer_id"], new { ref_datastore = "crm", ref_container = "clients", ref_field = "id" });

        var result = (await world.ResultsAsync((await world.ScanAsync()).Id))[check];
        // 30 and 99 are not clients; the null is not compared.
        Assert.Equal((CheckOutcome.Failed, 2L), (result.Result, result.AnomalousRecords));

        // The same database through another connection: one statement could not read both.
        var source = await world.Admin.ReadAsync($"/api/connections/{world.ConnectionId}");
        var elsewhere = await SyncApi.CreateConnectionAsync(world.Admin, new
        {
            name = "elsewhere", type = "postgresql", host = source.GetProperty("host").GetString(), port = source.GetProperty("port").GetInt32(),
            username = source.GetProperty("username").GetString(), password = "unused", database,
        });
        await SyncApi.CreateDatastoreAsync(world.Admin, elsewhere, "elsewhere", database, "crm");
        var problem = await world.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks", new
        {
            datastore_id = world.DatastoreId, container_name = "orders", rule = "isReplicaOf", fields = Array.Empty<string>(),
            properties = new { ref_datastore = "elsewhere", ref_container = "orders" },
        });
        Assert.Contains("datastore 'elsewhere' is on another connection than this check's datastore 'shop'",
            problem.GetProperty("errors").GetProperty("properties.ref_datastore")[0].GetString());
    }

    private static List<JsonElement> Records(Quarry.Server.Anomalies.Anomaly anomaly) =>
        JsonDocument.Parse(anomaly.SourceRecordsJson).RootElement.EnumerateArray().OrderBy(r => r.GetProperty("id").GetInt32()).ToList();
}
