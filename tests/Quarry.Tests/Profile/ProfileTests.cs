using Quarry.Server.Quality;

namespace Quarry.Tests.Profile;

public sealed class ProfileTests
{
    [Fact]
    public async Task ProfileRecordsEachFieldsStatisticsAtThePostgresSource()
    {
        await using var world = await PostgresShop.StartAsync();
        var (admin, shop) = (world.Admin, world.Shop);
        var operation = await ShopData.ProfileAsync(admin, shop);
        Assert.True(operation.Result == OperationResult.Success, operation.Message);
        Assert.Equal(2, operation.Status.ContainersAnalyzed);
        Assert.Contains("Profiled 2 container(s) and 14 field(s)", operation.Details);

        var orders = await ShopData.FieldProfilesAsync(admin, await ShopData.ContainerIdAsync(admin, shop, "orders"));
        var amount = orders["amount"];
        Assert.Equal((3000L, 0L, 97L, false), (amount.RecordCount, amount.NullCount, amount.DistinctCount, amount.DistinctApproximate));
        Assert.Equal(("5.00", "125.00"), (amount.Min, amount.Max));
        Assert.Equal("fractional", amount.InferredType);
        Assert.NotNull(amount.StdDev);
        Assert.True(amount.Q1 < amount.Median && amount.Median < amount.Q3, $"quartiles {amount.Q1} {amount.Median} {amount.Q3}");

        var status = orders["status"];
        Assert.Equal(4, status.DistinctCount);
        Assert.Equal(["cancelled:750", "new:750", "paid:750", "shipped:750"], status.TopValues.Select(v => $"{v.Value}:{v.Count}").Order());
        Assert.Equal((3, 9), (status.MinLength, status.MaxLength));

        var shipBy = orders["ship_by"];
        Assert.Equal(("text", "date"), (shipBy.DeclaredType, shipBy.InferredType));
        Assert.Equal("uuid", orders["reference"].InferredType);
        Assert.Equal((3000L - 3000 / 7, 1L), (orders["note"].NullCount, orders["note"].DistinctCount));
        Assert.Equal(3000, orders["id"].DistinctCount);
        Assert.Empty(orders["id"].TopValues);

        var customers = await ShopData.FieldProfilesAsync(admin, await ShopData.ContainerIdAsync(admin, shop, "customers"));
        Assert.Equal(("2024-01-01", "2024-10-26"), (customers["signed_up"].Min, customers["signed_up"].Max));
        Assert.Equal(("email", 80L), (customers["email"].InferredType, customers["tier"].NullCount));
    }

    [Fact]
    public async Task ProfileInfersDraftChecksThatHoldOnTheDataProfiled()
    {
        await using var world = await PostgresShop.StartAsync();
        var (admin, shop) = (world.Admin, world.Shop);
        Assert.Equal(OperationResult.Success, (await ShopData.ProfileAsync(admin, shop)).Result);

        var checks = await ShopData.ChecksAsync(admin, shop);
        Assert.All(checks, c => Assert.Equal((CheckStatus.Draft, true), (c.Status, c.Inferred)));
        var described = checks.Select(ShopData.Describe).ToList();
        Assert.Contains("orders.id unique {}", described);
        Assert.Contains("orders.customer_id notNull {}", described);
        Assert.Contains("orders.amount between {\"max\":125,\"min\":5}", described);
        Assert.Contains("orders.status expectedValues {\"list\":[\"cancelled\",\"new\",\"paid\",\"shipped\"]}", described);
        Assert.Contains("orders.ship_by isType {\"field_type\":\"date\"}", described);
        Assert.Contains("orders.ordered_at notFuture {}", described);
        Assert.Contains("orders. volumetric {\"tolerance_percent\":10}", described);
        Assert.Contains("customers. volumetric {\"tolerance_percent\":10}", described);
        Assert.Contains("customers.email matchesPattern {\"pattern\":\"^[^@ ]+@[^@ ]+[.][^@ ]+$\"}", described);
        Assert.Contains("customers.country expectedValues {\"list\":[\"DE\",\"FR\",\"NL\",\"US\"]}", described);
        Assert.DoesNotContain("customers.tier notNull {}", described);
        Assert.DoesNotContain("orders.note notNull {}", described);
    }

    [Fact]
    public async Task ReprofilingUpdatesItsOwnDraftsAndLeavesChecksAPersonWroteOrEdited()
    {
        await using var world = await PostgresShop.StartAsync();
        var (admin, shop) = (world.Admin, world.Shop);
        var orders = await ShopData.ContainerIdAsync(admin, shop, "orders");
        // A person's own check on a field the profile also looks at.
        var written = await QuarryTestServer.PostJsonAsync<QualityCheckDto>(admin, "/api/quality-checks",
            new { container_id = orders, rule = "between", fields = new[] { "customer_id" }, properties = new { min = 0, max = 10000 } });
        Assert.Equal(OperationResult.Success, (await ShopData.ProfileAsync(admin, shop)).Result);
        var first = await ShopData.ChecksAsync(admin, shop);

        // An edited draft becomes the person's; an untouched one stays the profile's.
        var edited = first.Single(c => ShopData.Describe(c) == "orders.amount between {\"max\":125,\"min\":5}");
        var editedBack = await admin.PutAsJsonAsync($"/api/quality-checks/{edited.Id}",
            new { properties = new { min = 0, max = 1000 } }, QuarryTestServer.Json);
        Assert.Equal(HttpStatusCode.OK, editedBack.StatusCode);
        var maxLength = first.Single(c => ShopData.Describe(c) == "orders.status maxLength {\"value\":9}");

        await world.Source.ExecuteAsync("""
            INSERT INTO shop.orders VALUES (3001, 1, 300.00, 'refunded', TIMESTAMPTZ '2024-06-01 00:00:00+00', '2024-06-09', NULL, md5('x')::uuid);
            """);
        var second = await ShopData.ProfileAsync(admin, shop);
        Assert.Equal(OperationResult.Success, second.Result);
        var after = await ShopData.ChecksAsync(admin, shop);

        Assert.Equal(after.Count, after.Select(c => (c.ContainerId, c.Rule, string.Join(",", c.FieldNames))).Distinct().Count());
        var mine = after.Single(c => c.Id == written.Id);
        Assert.Equal(("customer_id between {\"max\":10000,\"min\":0}", false, CheckStatus.Active),
            ($"{mine.FieldNames[0]} {mine.Rule} {mine.Properties.GetRawText()}", mine.Inferred, mine.Status));
        var editedAfter = after.Single(c => c.Id == edited.Id);
        Assert.Equal(("{\"max\":1000,\"min\":0}", false), (editedAfter.Properties.GetRawText(), editedAfter.Inferred));
        // The profile's own draft follows the data: 'refunded' is 8 long, the codes are five now.
        Assert.Equal("{\"value\":9}", after.Single(c => c.Id == maxLength.Id).Properties.GetRawText());
        Assert.Contains("orders.status expectedValues {\"list\":[\"cancelled\",\"new\",\"paid\",\"refunded\",\"shipped\"]}", after.Select(ShopData.Describe));
    }

    [Fact]
    public async Task DraftsAreActivatedOneByOneOrInBulkAndListedByStatus()
    {
        await using var world = await PostgresShop.StartAsync();
        var (admin, shop) = (world.Admin, world.Shop);
        Assert.Equal(OperationResult.Success, (await ShopData.ProfileAsync(admin, shop, new { container_names = new[] { "customers" } })).Result);
        var drafts = await ShopData.ChecksAsync(admin, shop, "draft");
        Assert.NotEmpty(drafts);
        Assert.All(drafts, d => Assert.Equal("customers", d.Container.Name));
        Assert.Empty(await ShopData.ChecksAsync(admin, shop, "Active"));

        var one = await admin.PutAsJsonAsync($"/api/quality-checks/{drafts[0].Id}", new { status = "Active" }, QuarryTestServer.Json);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var bulk = await ShopData.PatchAsync(admin, "/api/quality-checks", drafts.Skip(1).Select(d => new { id = d.Id, status = "Active" }));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);

        var active = await ShopData.ChecksAsync(admin, shop, "Active");
        Assert.Equal(drafts.Select(d => d.Id).Order(), active.Select(c => c.Id).Order());
        Assert.All(active, c => Assert.True(c.Inferred));

        var bad = await ShopData.PatchAsync(admin, "/api/quality-checks", new[] { new { id = drafts[0].Id, status = "Archived" }, new { id = drafts[1].Id, status = "Gone" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("[1].status", await bad.Content.ReadAsStringAsync());
        Assert.Empty(await ShopData.ChecksAsync(admin, shop, "Archived"));
    }
}
