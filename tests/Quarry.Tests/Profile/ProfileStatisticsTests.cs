using Quarry.Tests.Scan;

namespace Quarry.Tests.Profile;

/// <summary>
/// The same readings profiled on every source give the same figures: exact counts, quartiles at the nearest rank, exact
/// value counts of a few-valued column; and a sampled profile reads the number of rows asked for, and says so.
/// </summary>
public sealed class ProfileStatisticsTests
{
    [Theory]
    [ClassData(typeof(ProfiledSources))]
    public async Task EverySourceGivesTheSameFiguresAndSamplesTheRowsAskedFor(string kind)
    {
        var setup = kind switch
        {
            "postgresql" or "sqlite" => ShopData.Readings("readings"),
            _ => ShopData.PortableSql(),
        };
        await using var world = await ScanWorld.StartAsync(kind, setup);
        var readings = await ShopData.ContainerIdAsync(world.Admin, world.DatastoreId, "readings");

        var full = await ShopData.ProfileAsync(world.Admin, world.DatastoreId, new { container_names = new[] { "readings" } });
        Assert.True(full.Result == OperationResult.Success, full.Message);
        var fields = await ShopData.FieldProfilesAsync(world.Admin, readings);
        Assert.All(fields.Values, f => Assert.Equal((25_000L, false), (f.RecordCount, f.Sampled)));

        var id = fields["id"];
        Assert.Equal((0L, 25_000L, false), (id.NullCount, id.DistinctCount, id.DistinctApproximate));
        Assert.Equal(("1", "25000"), (id.Min, id.Max));
        Assert.Equal((6_250d, 12_500d, 18_750d), (id.Q1, id.Median, id.Q3));
        Assert.Equal(12_500.5, id.Mean!.Value, 6);

        Assert.Equal(25_000 / 11, fields["reading"].NullCount);
        var unit = fields["unit"];
        Assert.Equal((2L, false), (unit.DistinctCount, unit.DistinctApproximate));
        Assert.Equal(["F 16667", "C 8333"], unit.TopValues.Select(v => $"{v.Value} {v.Count}"));
        var sensor = fields["sensor"];
        Assert.Equal(40L, sensor.DistinctCount);
        Assert.All(sensor.TopValues, v => Assert.Equal(625, v.Count));
        Assert.Equal((3, 4), (sensor.MinLength, sensor.MaxLength));

        var sampled = await ShopData.ProfileAsync(world.Admin, world.DatastoreId,
            new { container_names = new[] { "readings" }, max_records_analyzed_per_partition = 1_000 });
        Assert.True(sampled.Result == OperationResult.Success, sampled.Message);
        var sample = await ShopData.FieldProfilesAsync(world.Admin, readings, sampled.Id);
        Assert.All(sample.Values, f => Assert.Equal((1_000L, true), (f.RecordCount, f.Sampled)));
        Assert.Equal(["C", "F"], sample["unit"].TopValues.Select(v => v.Value).Order(StringComparer.Ordinal));
    }
}
