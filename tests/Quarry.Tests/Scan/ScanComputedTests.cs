using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>Computed tables, joins and fields are evaluated by the source, inside the scan's own statements.</summary>
public sealed class ScanComputedTests
{
    private const string Shop = ScanRuleTests.Orders + """
        CREATE TABLE customers (id integer, name text, country text);
        INSERT INTO customers VALUES (1, 'Ann', 'FR'), (2, 'Bob', NULL), (3, 'Cy', 'DE');
        CREATE TABLE prices (id integer, label text);
        INSERT INTO prices VALUES (1, '$1,234.50'), (2, '(12)'), (3, 'n/a'), (4, ' Hello, World! ');
        """;

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task ChecksOnComputedTablesJoinsAndFieldsAreEvaluated(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        await QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-containers", new
        {
            datastore_id = world.DatastoreId, name = "big_orders", container_type = "computed_table",
            query = "SELECT id, amount * 2 AS doubled FROM orders WHERE amount > 15;",
        });
        await QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-containers", new
        {
            datastore_id = world.DatastoreId, name = "order_customers", container_type = "computed_join", left_container = "orders", right_container = "customers",
            join_type = "left", left_field = "qty", right_field = "id", left_select = new[] { "id", "status" }, right_select = new[] { "country" },
        });
        await AddFieldAsync(world, "prices", "price", "convertFormattedNumeric", ["label"]);
        await AddFieldAsync(world, "prices", "clean", "cleanedEntity", ["label"]);
        await AddFieldAsync(world, "orders", "code_number", "cast", ["code"], new { target_type = "integral" });
        await AddFieldAsync(world, "orders", "total", "customExpression", [], new { expression = "amount * qty" });

        var doubled = await world.AddCheckAsync("big_orders", "between", ["doubled"], new { min = 0, max = 200 });
        var country = await world.AddCheckAsync("order_customers", "notNull", ["country"]);
        var price = await world.AddCheckAsync("prices", "between", ["price"], new { min = -100, max = 2000 });
        var clean = await world.AddCheckAsync("prices", "expectedValues", ["clean"], new { list = new[] { "hello world", "123450", "12", "na" } });
        var code = await world.AddCheckAsync("orders", "notNull", ["code_number"]);
        var total = await world.AddCheckAsync("orders", "lessThan", ["total"], new { value = 1000 }, filter: "total IS NOT NULL");

        var results = await world.ScanResultsAsync();
        string Outcome(int id) => ScanWorld.Outcome(results[id]);
        // 2×20, 2×300 and 2×50 of the orders over 15: only 600 is out of range.
        Assert.Equal("failed 1/3 1 of 3 rows have 'doubled' outside 0 to 200.", Outcome(doubled));
        // Orders 2 (customer Bob, no country), 4 and 5 (no customer at all) have no country.
        Assert.Equal("failed 3/5 3 of 5 rows have a null in 'country'.", Outcome(country));
        // "$1,234.50" is 1234.50 and "(12)" is -12; "n/a" and " Hello, World! " read as no number (null), which between ignores.
        Assert.Equal("passed 0/4 ", Outcome(price));
        Assert.Equal("passed 0/4 ", Outcome(clean));
        // Code "abc" does not read as a whole number.
        Assert.Equal("failed 1/5 1 of 5 rows have a null in 'code_number'.", Outcome(code));
        // 300 × 4 is the one total of 1,000 or more.
        Assert.Equal("failed 1/5 1 of 5 rows have 'total' not less than 1000.", Outcome(total));
        var sample = JsonDocument.Parse((await world.AnomaliesAsync()).Single(a => a.CheckId == total).SourceRecordsJson).RootElement[0];
        Assert.Equal(1200, sample.GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task AComputedTableWhoseQueryTheSourceRefusesLeavesItsChecksUnasserted()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", Shop);
        await QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-containers", new
        {
            datastore_id = world.DatastoreId, name = "broken", container_type = "computed_table", query = "SELECT missing_col FROM nowhere",
        });
        var check = await world.AddCheckAsync("broken", "notNull", ["missing_col"]);
        var other = await world.AddCheckAsync("orders", "notNull", ["email"]);

        var scan = await world.ScanAsync();

        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal(CheckOutcome.Unasserted, results[check].Result);
        Assert.StartsWith("Container 'broken' could not be read: SQLite refused the statement:", results[check].Message);
        Assert.True(results[check].Message!.Contains("nowhere"), results[check].Message);
        Assert.Equal(CheckOutcome.Failed, results[other].Result);
    }

    private static Task<JsonElement> AddFieldAsync(ScanWorld world, string container, string name, string transformation, string[] sources, object? properties = null) =>
        QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-fields", new
        {
            datastore_id = world.DatastoreId, container_name = container, name, transformation, source_fields = sources, properties,
        });
}
