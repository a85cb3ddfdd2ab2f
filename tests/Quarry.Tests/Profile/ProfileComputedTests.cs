using System.Globalization;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Profile;

/// <summary>
/// Computed tables and joins are profiled like tables: their SQL read as a derived table by the source, their fields'
/// figures those of the rows the SQL returns; one the source refuses fails alone, naming itself.
/// </summary>
public sealed class ProfileComputedTests
{
    /// <summary>The orders and customers the computed join tests read.</summary>
    private const string Shop = Quality.ComputedJoinSelectTests.Shop;

    [Theory]
    [ClassData(typeof(ProfiledSources))]
    public async Task AComputedTableAndAComputedJoinGetTheFiguresOfTheRowsTheirSqlReturns(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        await CreateAsync(world, new { name = "big_orders", container_type = "computed_table", query = "SELECT id, amount * 2 AS doubled, status FROM orders WHERE amount > 15;" });
        await CreateAsync(world, new
        {
            name = "order_customers", container_type = "computed_join", left_container = "orders", right_container = "customers",
            join_type = "left", left_field = "qty", right_field = "id", left_select = new[] { "id", "status" }, right_select = new[] { "country" },
        });

        var profile = await ShopData.ProfileAsync(world.Admin, world.DatastoreId, new { container_names = new[] { "big_orders", "order_customers" } });

        Assert.True(profile.Result == OperationResult.Success, profile.Details);
        Assert.StartsWith("Profiled 2 container(s) and 6 field(s) (8 rows read)", profile.Details);
        Assert.False(profile.Summary!.Value.TryGetProperty("failed_containers", out _));
        // Orders 2, 4 and 5 have amounts over 15: 20, 300 and 50.
        var table = await ShopData.FieldProfilesAsync(world.Admin, await ShopData.ContainerIdAsync(world.Admin, world.DatastoreId, "big_orders"));
        Assert.Equal(["doubled", "id", "status"], table.Keys.Order(StringComparer.Ordinal));
        Assert.All(table.Values, f => Assert.Equal((3L, 0L, 3L), (f.RecordCount, f.NullCount, f.DistinctCount)));
        Assert.Equal((2d, 5d), (Number(table["id"].Min), Number(table["id"].Max)));
        Assert.Equal((40d, 600d), (Number(table["doubled"].Min), Number(table["doubled"].Max)));
        Assert.Equal(("new", "weird"), (table["status"].Min, table["status"].Max));
        // The fields a profile recorded are what the query returned then: a check may still name one it returns since.
        Assert.True(await world.AddCheckAsync("big_orders", "notNull", ["added_later"]) > 0);

        // Each order with the customer whose id is its qty: orders 1 and 3 have a country, order 2's customer has none,
        // orders 4 and 5 have no customer.
        var join = await ShopData.FieldProfilesAsync(world.Admin, await ShopData.ContainerIdAsync(world.Admin, world.DatastoreId, "order_customers"));
        Assert.Equal(["country", "id", "status"], join.Keys.Order(StringComparer.Ordinal));
        Assert.All(join.Values, f => Assert.Equal(5L, f.RecordCount));
        Assert.Equal((3L, 2L, "DE", "FR"), (join["country"].NullCount, join["country"].DistinctCount, join["country"].Min, join["country"].Max));
        Assert.Equal((0L, 5L, 1d, 5d), (join["id"].NullCount, join["id"].DistinctCount, Number(join["id"].Min), Number(join["id"].Max)));
        Assert.Equal(["new 2", "paid 2", "weird 1"], join["status"].TopValues.Select(v => $"{v.Value} {v.Count}"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AComputedTableTheSourceRefusesFailsAloneNamingItself(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Shop);
        await CreateAsync(world, new { name = "broken", container_type = "computed_table", query = "SELECT missing_col FROM nowhere" });

        var profile = await ShopData.ProfileAsync(world.Admin, world.DatastoreId);

        Assert.True(profile.Result == OperationResult.Success, profile.Details);
        Assert.StartsWith("Profiled 2 container(s)", profile.Details);
        Assert.Contains(" Profiling computed container 'broken' failed: ", profile.Details);
        Assert.Contains("nowhere", profile.Details);
        var failure = Assert.Single(profile.Summary!.Value.GetProperty("failed_containers").EnumerateArray());
        Assert.Equal("broken", failure.GetProperty("container").GetString());
        Assert.StartsWith("Profiling computed container 'broken' failed: ", failure.GetProperty("message").GetString());
        var orders = await ShopData.FieldProfilesAsync(world.Admin, await ShopData.ContainerIdAsync(world.Admin, world.DatastoreId, "orders"));
        Assert.Equal((5L, 1L), (orders["email"].RecordCount, orders["email"].NullCount));
        Assert.Empty(await ShopData.FieldProfilesAsync(world.Admin, await ShopData.ContainerIdAsync(world.Admin, world.DatastoreId, "broken")));
    }

    private static Task<JsonElement> CreateAsync(ScanWorld world, object definition)
    {
        var body = JsonSerializer.SerializeToElement(definition).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["datastore_id"] = world.DatastoreId;
        return QuarryTestServer.PostJsonAsync<JsonElement>(world.Admin, "/api/computed-containers", body);
    }

    private static double Number(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);
}
