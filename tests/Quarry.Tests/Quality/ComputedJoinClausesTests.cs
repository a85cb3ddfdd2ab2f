using Quarry.Server.Operations.Scan;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Quality;

/// <summary>
/// A computed join's <c>where_clause</c> and <c>group_by_clause</c>, as Qualytics clients send them: the scan reads
/// only the rows the clause keeps, grouped as the clause says.
/// </summary>
public sealed class ComputedJoinClausesTests
{
    private static object Join(ScanWorld world, string name, string select, string? where = null, string? groupBy = null) => new
    {
        container_type = "computed_join", datastore_id = world.DatastoreId, name, left_container = "orders", right_container = "customers",
        left_join_field_name = "qty", right_join_field_name = "id", join_type = "left", select_clause = select, where_clause = where, group_by_clause = groupBy,
    };

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task AJoinsWhereClauseKeepsOnlyItsRowsAndAGroupByClauseGroupsThem(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ComputedJoinSelectTests.Shop);
        var admin = world.Admin;
        // Orders 1, 2 and 3 have customers (FR, none, DE); 4 and 5 have none. The clause names the join's fields by
        // prefix, and a side's field as the source knows it (l.id).
        var filtered = await admin.CreateAsync("/api/containers",
            Join(world, "paid_or_first", "left_id, left_status, right_country AS country", where: "left_status = 'paid' OR l.id = 1"));
        Assert.Equal(("left_status = 'paid' OR l.id = 1", JsonValueKind.Null),
            (filtered.GetProperty("where_clause").GetString(), filtered.GetProperty("group_by_clause").ValueKind));
        var grouped = await admin.CreateAsync("/api/containers",
            Join(world, "orders_by_country", "right_country AS country, count(*) AS orders", where: "left_status <> 'weird'", groupBy: "right_country"));
        Assert.Equal(["country", "orders"], grouped.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        var read = await admin.ReadAsync($"/api/computed-containers/{grouped.GetProperty("id").GetInt32()}");
        Assert.Equal(("left_status <> 'weird'", "right_country"), (read.GetProperty("where_clause").GetString(), read.GetProperty("group_by_clause").GetString()));

        // Validating runs the join with its clauses at the source, where a clause's mistake is the database's to find.
        var valid = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/containers/validate",
            new { container = Join(world, "check", "right_country AS country, count(*) AS orders", where: "left_status <> 'weird'", groupBy: "right_country") });
        Assert.True(valid.GetProperty("success").GetBoolean(), valid.ToString());
        Assert.Equal(["country", "orders"], valid.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        var broken = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/containers/validate",
            new { container = Join(world, "check", "left_id", where: "left_nope > 1") });
        Assert.False(broken.GetProperty("success").GetBoolean(), broken.ToString());
        Assert.Contains("nope", broken.GetProperty("message").GetString());
        Assert.Equal(2, (await admin.ReadAsync($"/api/computed-containers?datastore={world.DatastoreId}")).GetProperty("total").GetInt32());

        var countryCheck = await world.AddCheckAsync("paid_or_first", "notNull", ["country"]);
        var groupCheck = await world.AddCheckAsync("orders_by_country", "notNull", ["country"]);
        var sizeCheck = await world.AddCheckAsync("orders_by_country", "between", ["orders"], new { min = 1, max = 1 });

        var results = await world.ScanResultsAsync();
        // Of orders 1, 2 and 3, only 2 (Bob) has no country; orders 4 and 5 were filtered out.
        Assert.Equal((CheckOutcome.Failed, 1L, 3L), (results[countryCheck].Result, results[countryCheck].AnomalousRecords, results[countryCheck].AssertedRecords));
        var sample = JsonDocument.Parse((await world.AnomaliesAsync()).Single(a => a.CheckId == countryCheck).SourceRecordsJson).RootElement[0];
        Assert.Equal(2, sample.GetProperty("left_id").GetInt32());
        // Without order 4 ('weird'): FR (1), DE (1) and no country (orders 2 and 5): three groups, one without a country, one of two orders.
        Assert.Equal((CheckOutcome.Failed, 1L, 3L), (results[groupCheck].Result, results[groupCheck].AnomalousRecords, results[groupCheck].AssertedRecords));
        Assert.Equal((CheckOutcome.Failed, 1L, 3L), (results[sizeCheck].Result, results[sizeCheck].AnomalousRecords, results[sizeCheck].AssertedRecords));

        // An empty clause removes it; one left out keeps what was saved.
        var changed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/containers/{filtered.GetProperty("id").GetInt32()}", new { where_clause = "" });
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("where_clause").ValueKind);
        var kept = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/containers/{grouped.GetProperty("id").GetInt32()}", new { description = "by country" });
        Assert.Equal("right_country", kept.GetProperty("group_by_clause").GetString());
        results = await world.ScanResultsAsync();
        Assert.Equal((CheckOutcome.Failed, 3L, 5L), (results[countryCheck].Result, results[countryCheck].AnomalousRecords, results[countryCheck].AssertedRecords));
    }

    [Fact]
    public async Task AClauseThatWouldBreakOutOfTheJoinIsRefusedNamingItAndNothingIsStored()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ComputedJoinSelectTests.Shop);
        var admin = world.Admin;
        async Task<string> Refused(object body)
        {
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/containers", body);
            return ProblemErrors.Text(problem);
        }

        Assert.Equal("where_clause: must be a single expression; remove the ';'.",
            await Refused(Join(world, "j", "left_id", where: "left_qty > 2; DROP TABLE customers")));
        Assert.Equal("where_clause: has a ')' at position 13 that closes nothing.",
            await Refused(Join(world, "j", "left_id", where: "left_qty > 2) OR (1 = 1")));
        Assert.Equal("where_clause: has a ' at position 15 that is never closed.",
            await Refused(Join(world, "j", "left_id", where: "left_status = 'paid")));
        Assert.StartsWith("group_by_clause: has a comment ('--' at position 9)",
            await Refused(Join(world, "j", "left_id", groupBy: "left_id -- x")));
        // A ';' inside quotes is text, not a second statement; the clause is refused for its other fault only.
        Assert.Equal("group_by_clause: has a '(' that is never closed.",
            await Refused(Join(world, "j", "left_id", where: "left_note <> ';'", groupBy: "(left_id")));
        Assert.StartsWith("where_clause: is only for computed_join containers",
            await Refused(new { container_type = "computed_table", datastore_id = world.DatastoreId, name = "t", query = "select 1", where_clause = "1 = 1" }));
        Assert.Equal(0, (await admin.ReadAsync($"/api/computed-containers?datastore={world.DatastoreId}")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await admin.ReadAsync($"/api/containers/listing?datastore={world.DatastoreId}")).EnumerateArray().Count(c => c.GetProperty("name").GetString() is "j" or "t"));
    }
}
