using Quarry.Server.Operations.Scan;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Quality;

/// <summary>
/// A computed join created as Qualytics clients create it, through <c>POST /api/containers</c> with a
/// <c>select_clause</c> and side prefixes: the join's fields are the clause's, and a scan reads exactly those.
/// </summary>
public sealed class ComputedJoinSelectTests
{
    /// <summary>Orders and the customers their qty points at: 1 and 3 with a country, 2 without, 4 and 5 with no customer.</summary>
    internal const string Shop = ScanRuleTests.Orders + """
        CREATE TABLE customers (id integer, name text, country text);
        INSERT INTO customers VALUES (1, 'Ann', 'FR'), (2, 'Bob', NULL), (3, 'Cy', 'DE');
        """;

    private const string Weird = "weird\"; DROP TABLE customers; --";

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task TheSelectClauseNamesTheJoinsFieldsWithItsPrefixesAndTheScanReadsThem(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        var admin = world.Admin;
        var listing = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/containers/listing?datastore={world.DatastoreId}");
        int Id(string name) => listing.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetInt32();

        // The body the Qualytics CLI's `containers create --type computed_join` sends.
        var join = await admin.CreateAsync("/api/containers", new
        {
            container_type = "computed_join", name = "order_customers", left_container_id = Id("orders"), right_container_id = Id("customers"),
            left_join_field_name = "qty", right_join_field_name = "id", join_type = "left", left_prefix = "o", right_prefix = "c",
            select_clause = $"o_id, o_status AS status, c_country country, \"c_name\", c_name AS \"{Weird.Replace("\"", "\"\"")}\"",
        });
        var joinId = join.GetProperty("id").GetInt32();
        // No datastore_id, as the Qualytics CLI sends it: the join is in its left container's datastore.
        Assert.Equal(world.DatastoreId, join.GetProperty("datastore_id").GetInt32());
        Assert.Equal(["o_id", "status", "country", "c_name", Weird], join.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal(("o", "c"), (join.GetProperty("left_prefix").GetString(), join.GetProperty("right_prefix").GetString()));
        Assert.StartsWith("o_id, o_status AS status", join.GetProperty("select_clause").GetString());
        var fields = await admin.ReadAsync($"/api/containers/{joinId}/fields");
        var country = fields.GetProperty("items").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "country");
        Assert.True(country.GetProperty("nullable").GetBoolean());

        var countryCheck = await world.AddCheckAsync("order_customers", "notNull", ["country"]);
        var statusCheck = await world.AddCheckAsync("order_customers", "expectedValues", ["status"], new { list = new[] { "new", "paid" } });
        var weirdCheck = await world.AddCheckAsync("order_customers", "notNull", [Weird]);
        var customersCheck = await world.AddCheckAsync("customers", "notNull", ["name"]);
        // A check naming a side's own field name (not the joined name) is refused: the join knows it as 'status'.
        await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks",
            new { container_id = joinId, rule = "notNull", fields = new[] { "o_status" } });

        var results = await world.ScanResultsAsync();
        // Orders with qty 2 (Bob, no country), 4 and 5 (no customer) have no country.
        Assert.Equal((CheckOutcome.Failed, 3L, 5L), (results[countryCheck].Result, results[countryCheck].AnomalousRecords, results[countryCheck].AssertedRecords));
        Assert.Equal((CheckOutcome.Failed, 1L), (results[statusCheck].Result, results[statusCheck].AnomalousRecords));
        Assert.Equal((CheckOutcome.Failed, 2L), (results[weirdCheck].Result, results[weirdCheck].AnomalousRecords));
        // The alias reached the source only as a quoted name: customers is still there and read.
        Assert.Equal((CheckOutcome.Passed, 3L), (results[customersCheck].Result, results[customersCheck].AssertedRecords));
        var sample = JsonDocument.Parse((await world.AnomaliesAsync()).Single(a => a.CheckId == statusCheck).SourceRecordsJson).RootElement[0];
        Assert.Equal(("weird", 4), (sample.GetProperty("status").GetString(), sample.GetProperty("o_id").GetInt32()));

        // Changing the clause changes the fields; choosing them Quarry's way drops the clause and its prefixes.
        var changed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/containers/{joinId}", new
        {
            container_type = "computed_join", name = "order_customers", select_clause = "*", left_prefix = "left", right_prefix = "right",
        });
        Assert.Equal(["left_id", "left_email", "left_amount", "left_status", "left_qty", "left_code", "left_created_at", "left_note", "right_id", "right_name", "right_country"],
            changed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        var listed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/computed-containers/{joinId}", new { left_select = new[] { "id" }, right_select = new[] { "country" } });
        Assert.Equal(["id", "country"], listed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("select_clause").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("left_prefix").ValueKind);
    }

    [Fact]
    public async Task ASelectClauseThatIsNotAListOfTheSidesFieldsIsRefusedSayingWhy()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", Shop);
        var admin = world.Admin;
        async Task<string> Refused(object extra)
        {
            var body = new Dictionary<string, object?>
            {
                ["container_type"] = "computed_join", ["datastore_id"] = world.DatastoreId, ["name"] = "j", ["left_container"] = "orders",
                ["right_container"] = "customers", ["left_field"] = "qty", ["right_field"] = "id",
            };
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/containers", body);
            return ProblemErrors.Text(problem);
        }

        Assert.StartsWith("select_clause: has ';' at position 8", await Refused(new { select_clause = "left_id; DROP TABLE orders" }));
        Assert.StartsWith("select_clause: has '(' at position 6", await Refused(new { select_clause = "upper(left_status)" }));
        Assert.StartsWith("select_clause: 'left_id right_id x' is not a field name", await Refused(new { select_clause = "left_id right_id x" }));
        Assert.Contains("'left_nope' is not a field of the join.", await Refused(new { select_clause = "left_nope" }));
        Assert.Contains("Did you mean 'left_status'?", await Refused(new { select_clause = "left_Status" }));
        Assert.Contains("'left_id\" FROM orders; --' is not a field of the join.", await Refused(new { select_clause = "\"left_id\"\" FROM orders; --\"" }));
        Assert.Contains("'left_id' is selected 2 times", await Refused(new { select_clause = "left_id, right_id AS left_id" }));
        Assert.StartsWith("right_prefix: 'left' is also the left prefix", await Refused(new { select_clause = "left_id", right_prefix = "left" }));
        Assert.StartsWith("left_prefix: must be 1 to 50 letters", await Refused(new { select_clause = "x_id", left_prefix = "x y" }));
        Assert.StartsWith("select_clause: give either select_clause or left_select/right_select", await Refused(new { select_clause = "left_id", left_select = new[] { "id" } }));
        Assert.StartsWith("left_prefix: is read only with select_clause", await Refused(new { left_select = new[] { "id" }, left_prefix = "o" }));
        Assert.StartsWith("select_clause: is only for computed_join containers", await Refused(new { container_type = "computed_table", query = "select 1", select_clause = "left_id", left_container = (string?)null, right_container = (string?)null, left_field = (string?)null, right_field = (string?)null }));
        Assert.Contains("An expression is accepted when it is named with AS", await Refused(new { select_clause = "left_id, upper(left_status)" }));
        // Nothing was created by any of them.
        Assert.Equal(0, (await admin.ReadAsync($"/api/computed-containers?datastore={world.DatastoreId}")).GetProperty("total").GetInt32());
    }
}
