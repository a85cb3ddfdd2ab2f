using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>
/// existsIn, isReplicaOf and aggregationComparison naming what the source computes inside the scan (a computed field of
/// the other container, a computed table or join as the other container) or a container of another datastore of the
/// same connection, at each kind of real source.
/// </summary>
public sealed class ScanReferenceTests
{
    /// <summary>
    /// Orders of customers 10, 20, 30, 99 and none; customers 10, 20 and 30 whose legacy key reads as a number only for 10
    /// and 20; invoices whose totals add up to 5 less than the orders' amounts; an exact backup of the orders.
    /// </summary>
    private const string Shop = """
        CREATE TABLE orders (id integer NOT NULL, customer_id integer, amount numeric(10,2));
        INSERT INTO orders VALUES (1, 10, 10.5), (2, 20, 20), (3, 30, 30), (4, 99, 40), (5, NULL, 50);
        CREATE TABLE customers (id integer NOT NULL, legacy text);
        INSERT INTO customers VALUES (10, '10'), (20, '20'), (30, 'x30');
        CREATE TABLE invoices (order_id integer NOT NULL, total numeric(10,2));
        INSERT INTO invoices VALUES (1, 10.5), (2, 20), (3, 30), (4, 40), (5, 45);
        CREATE TABLE orders_backup (id integer NOT NULL, customer_id integer, amount numeric(10,2));
        INSERT INTO orders_backup SELECT * FROM orders;
        """;

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task RulesReadComputedFieldsTablesAndJoinsOfTheOtherContainer(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        await AddFieldAsync(world, "customers", "legacy_id", "cast", ["legacy"], new { target_type = "integral" });
        await AddFieldAsync(world, "invoices", "total_cents", "customExpression", [], new { expression = "total * 100" });
        await AddFieldAsync(world, "orders", "amount_cents", "customExpression", [], new { expression = "amount * 100" });
        // The backup's cents differ from the orders' for order 3 only.
        await AddFieldAsync(world, "orders_backup", "amount_cents", "customExpression", [], new { expression = "amount * 100 + CASE WHEN id = 3 THEN 1 ELSE 0 END" });
        await AddContainerAsync(world, new { name = "small_customers", container_type = "computed_table", query = "SELECT id FROM customers WHERE id < 25" });
        await AddContainerAsync(world, new
        {
            name = "orders_with_customer", container_type = "computed_join", left_container = "orders", right_container = "customers",
            join_type = "inner", left_field = "customer_id", right_field = "id", left_select = new[] { "id", "amount" }, right_select = new[] { "legacy" },
        });

        var legacy = await world.AddCheckAsync("orders", "existsIn", ["customer_id"], new { ref_container = "customers", ref_field = "legacy_id" });
        var table = await world.AddCheckAsync("orders", "existsIn", ["customer_id"], new { ref_container = "small_customers", ref_field = "id" }, uid: "table");
        var join = await world.AddCheckAsync("orders", "existsIn", ["id"], new { ref_container = "orders_with_customer", ref_field = "id" });
        var sums = await world.AddCheckAsync("orders", "aggregationComparison", [],
            new { expression = "sum(amount_cents)", ref_container = "invoices", ref_expression = "sum(total_cents)", ref_filter = "total_cents > 0" });
        var replica = await world.AddCheckAsync("orders", "isReplicaOf", ["id", "amount_cents"], new { ref_container = "orders_backup" });
        var computedReplica = await world.AddCheckAsync("orders", "isReplicaOf", ["id", "amount"], new { ref_container = "orders_with_customer" }, uid: "join");

        var results = await world.ScanResultsAsync();
        string Outcome(int id) => ScanWorld.Outcome(results[id]);
        // 'x30' reads as no number, so customer 30 has no legacy id; 99 is nobody's; the order without a customer is not compared.
        Assert.Equal("failed 2/5 2 of 5 rows have 'customer_id' not found in 'legacy_id' of 'customers'.", Outcome(legacy));
        Assert.Equal("failed 2/5 2 of 5 rows have 'customer_id' not found in 'id' of 'small_customers'.", Outcome(table));
        // Orders 4 and 5 have no customer, so the inner join leaves them out.
        Assert.Equal("failed 2/5 2 of 5 rows have 'id' not found in 'id' of 'orders_with_customer'.", Outcome(join));
        Assert.Equal("failed 1/5 sum(amount_cents) of 'orders' is 15050; expected equal to sum(total_cents) of 'invoices', 14550.", Outcome(sums));
        Assert.Equal("failed 2/5 1 row of 'orders' is not in 'orders_backup', and 1 row of 'orders_backup' is not in 'orders' (distinct rows, compared on id, amount_cents).",
            Outcome(replica));
        Assert.Equal("failed 2/5 2 rows of 'orders' are not in 'orders_with_customer', and 0 rows of 'orders_with_customer' are not in 'orders' (distinct rows, compared on id, amount).",
            Outcome(computedReplica));
        var anomalies = await world.AnomaliesAsync();
        Assert.Equal([30, 99], Ids(anomalies.Single(a => a.CheckId == legacy).SourceRecordsJson, "customer_id"));
        Assert.Equal([4, 5], Ids(anomalies.Single(a => a.CheckId == join).SourceRecordsJson, "id"));
        Assert.Equal([3, 3], Ids(anomalies.Single(a => a.CheckId == replica).SourceRecordsJson, "id"));
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task RulesCompareWithContainersOfAnotherDatastoreOfTheSameConnection(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        await world.AddDatastoreAsync("crm", """
            CREATE TABLE clients (id integer NOT NULL, legacy text);
            INSERT INTO clients VALUES (10, '10'), (20, 'x20');
            CREATE TABLE ledger (order_id integer NOT NULL, total numeric(10,2));
            INSERT INTO ledger VALUES (1, 10.5), (2, 20), (3, 30), (4, 40), (5, 50);
            CREATE TABLE orders_mirror (id integer NOT NULL, customer_id integer, amount numeric(10,2));
            INSERT INTO orders_mirror VALUES (1, 10, 10.5), (2, 20, 20), (3, 30, 30), (4, 99, 40);
            """);
        await AddFieldAsync(world, "clients", "legacy_id", "cast", ["legacy"], new { target_type = "integral" }, datastore: "crm");

        var clients = await world.AddCheckAsync("orders", "existsIn", ["customer_id"], new { ref_datastore = "crm", ref_container = "clients", ref_field = "id" });
        var legacy = await world.AddCheckAsync("orders", "existsIn", ["customer_id"], new { ref_datastore = "crm", ref_container = "clients", ref_field = "legacy_id" }, uid: "legacy");
        var sums = await world.AddCheckAsync("orders", "aggregationComparison", [],
            new { ref_datastore = "crm", expression = "sum(amount)", ref_container = "ledger", ref_expression = "sum(total)" });
        var mirror = await world.AddCheckAsync("orders", "isReplicaOf", [], new { ref_datastore = "crm", ref_container = "orders_mirror" });

        var results = await world.ScanResultsAsync();
        string Outcome(int id) => ScanWorld.Outcome(results[id]);
        // 30 and 99 are not clients; the order without a customer is not compared.
        Assert.Equal("failed 2/5 2 of 5 rows have 'customer_id' not found in 'id' of 'clients'.", Outcome(clients));
        // Only client 10's legacy key reads as a number.
        Assert.Equal("failed 3/5 3 of 5 rows have 'customer_id' not found in 'legacy_id' of 'clients'.", Outcome(legacy));
        Assert.Equal("passed 0/5 ", Outcome(sums));
        Assert.Equal("failed 1/5 1 row of 'orders' is not in 'orders_mirror', and 0 rows of 'orders_mirror' are not in 'orders' (distinct rows, compared on id, customer_id, amount).",
            Outcome(mirror));
        Assert.Equal([5], Ids((await world.AnomaliesAsync()).Single(a => a.CheckId == mirror).SourceRecordsJson, "id"));
    }

    private static List<int> Ids(string records, string field) =>
        JsonDocument.Parse(records).RootElement.EnumerateArray().Select(r => r.GetProperty(field).GetInt32()).Order().ToList();

    private static async Task AddFieldAsync(ScanWorld world, string container, string name, string transformation, string[] sources, object properties, string? datastore = null)
    {
        var datastoreId = datastore is null ? world.DatastoreId
            : (await world.Admin.ReadAsync($"/api/datastores?name={datastore}")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-fields", new
        {
            datastore_id = datastoreId, container_name = container, name, transformation, source_fields = sources, properties,
        });
    }

    private static Task<JsonElement> AddContainerAsync(ScanWorld world, object definition)
    {
        var body = JsonSerializer.SerializeToNode(definition, QuarryTestServer.Json)!.AsObject();
        body["datastore_id"] = world.DatastoreId;
        return QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-containers", body);
    }
}
