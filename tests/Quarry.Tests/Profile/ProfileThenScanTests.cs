using Quarry.Server.Operations.Scan;
using Quarry.Server.Quality;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Profile;

/// <summary>
/// The bar an inferred check must clear: on the data it came from, every check a profile proposes passes a scan (one
/// that fails there is a defect); once known rows are corrupted, the scan finds each corruption.
/// </summary>
public sealed class ProfileThenScanTests
{
    [Theory]
    [ClassData(typeof(ProfiledSources))]
    public async Task EveryInferredCheckPassesOnItsOwnDataAndCatchesEachCorruption(string kind)
    {
        var postgres = kind == "postgresql";
        var setup = kind switch
        {
            "postgresql" => ShopData.PostgresSql.Replace("shop.", "public.").Replace("CREATE SCHEMA shop;", "") + ShopData.Readings("readings"),
            "sqlite" => ShopData.SqliteSql + ShopData.Readings("readings"),
            _ => ShopData.PortableSql(),
        };
        await using var world = await ScanWorld.StartAsync(kind, setup);

        var profile = await ShopData.ProfileAsync(world.Admin, world.DatastoreId);
        Assert.True(profile.Result == OperationResult.Success, profile.Message);
        var drafts = await ShopData.ChecksAsync(world.Admin, world.DatastoreId, CheckStatus.Draft);
        Assert.True(drafts.Count >= 20, $"only {drafts.Count} checks were inferred: {string.Join("; ", drafts.Select(ShopData.Describe))}");
        var activated = await ShopData.PatchAsync(world.Admin, "/api/quality-checks", drafts.Select(d => new { id = d.Id, status = CheckStatus.Active }));
        Assert.Equal(System.Net.HttpStatusCode.OK, activated.StatusCode);

        var clean = await world.ScanAsync();
        Assert.True(clean.Result == OperationResult.Success, clean.Message);
        var results = await world.ResultsAsync(clean.Id);
        Assert.Equal(drafts.Count, results.Count);
        var failing = drafts.Where(d => results[d.Id].Result != CheckOutcome.Passed)
            .Select(d => $"{ShopData.Describe(d)}: {results[d.Id].Result} {results[d.Id].Message}").ToList();
        Assert.True(failing.Count == 0, "inferred checks that fail on their own data: " + string.Join("; ", failing));
        Assert.Empty(await world.AnomaliesAsync());

        // A null where there never was one, a negative amount, an unknown code, a date in the future.
        await world.ExecuteAsync(postgres
            ? """
              UPDATE customers SET account_code = NULL WHERE id = 7;
              UPDATE orders SET amount = -5 WHERE id = 10;
              UPDATE orders SET status = 'lost' WHERE id = 11;
              UPDATE orders SET ordered_at = now() + interval '30 days' WHERE id = 12;
              UPDATE readings SET unit = 'K' WHERE id = 13;
              """
            : $"""
              UPDATE customers SET account_code = NULL WHERE id = 7;
              UPDATE orders SET amount = -5 WHERE id = 10;
              UPDATE orders SET status = 'lost' WHERE id = 11;
              UPDATE customers SET signed_up = {(kind == "sqlite" ? "date('now', '+30 days')" : "'2999-01-01'")} WHERE id = 12;
              UPDATE readings SET unit = 'K' WHERE id = 13;
              """);
        var corrupted = await world.ScanAsync();
        Assert.True(corrupted.Result == OperationResult.Success, corrupted.Message);
        var after = await world.ResultsAsync(corrupted.Id);
        var failed = drafts.Where(d => after[d.Id].Result == CheckOutcome.Failed).ToDictionary(ShopData.Describe, d => after[d.Id].AnomalousRecords);
        var expected = new List<string>
        {
            "customers.account_code notNull {}",
            "orders.amount between {\"max\":125,\"min\":5}",
            "orders.status expectedValues {\"list\":[\"cancelled\",\"new\",\"paid\",\"shipped\"]}",
            postgres ? "orders.ordered_at notFuture {}" : "customers.signed_up notFuture {}",
            "readings.unit expectedValues {\"list\":[\"C\",\"F\"]}",
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), failed.Keys.Order(StringComparer.Ordinal));
        Assert.All(failed.Values, rows => Assert.Equal(1, rows));
        Assert.Equal(expected.Count, (await world.AnomaliesAsync()).Count);
    }
}
