using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>
/// A scan of more containers than Quarry reads from its store at once, and of a container where several checks fail:
/// each container's checks are judged on that container, each failed check keeps its own failing rows.
/// </summary>
public sealed class ScanManyContainersTests
{
    private const int Tables = 60;

    /// <summary>Table i holds 3 rows with a value and i % 4 rows without, with ids i * 100 + row, so a row says where it came from.</summary>
    private static string ManyTables()
    {
        var sql = new StringBuilder();
        for (var i = 0; i < Tables; i++)
        {
            var rows = Enumerable.Range(0, 3 + i % 4).Select(r => $"({i * 100 + r}, {(r < 3 ? $"'v{r}'" : "NULL")})");
            sql.Append($"CREATE TABLE t{i:00} (id integer, v text); INSERT INTO t{i:00} VALUES {string.Join(", ", rows)};\n");
        }
        return sql.ToString();
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task EachOfManyContainersIsJudgedOnItsOwnRowsAndCounted(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ManyTables());
        var checks = new Dictionary<int, int>();
        // Every third table has no check: it is scanned and counted all the same.
        for (var i = 0; i < Tables; i++)
            if (i % 3 != 2) checks[i] = await world.AddCheckAsync($"t{i:00}", "notNull", ["v"]);

        var scan = await world.ScanAsync();

        Assert.Equal(OperationResult.Success, scan.Result);
        Assert.Equal((Tables, Tables), (scan.Status.TotalContainers, scan.Status.ContainersAnalyzed));
        Assert.Equal(Tables, (await world.ContainerScansAsync(scan.Id)).Count);
        var results = await world.ResultsAsync(scan.Id);
        var anomalies = (await world.AnomaliesAsync()).ToDictionary(a => a.CheckId!.Value);
        foreach (var (i, check) in checks)
        {
            Assert.Equal((3L + i % 4, (long)(i % 4)), (results[check].AssertedRecords!.Value, results[check].AnomalousRecords!.Value));
            Assert.Equal(i % 4 == 0 ? CheckOutcome.Passed : CheckOutcome.Failed, results[check].Result);
            if (i % 4 == 0) continue;
            var ids = JsonDocument.Parse(anomalies[check].SourceRecordsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).Order();
            Assert.Equal(Enumerable.Range(i * 100 + 3, i % 4), ids);
        }
        Assert.Equal(checks.Keys.Count(i => i % 4 != 0), anomalies.Count);
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task SeveralFailingChecksOfOneContainerEachKeepTheirOwnRowsUpToTheLimit(string kind)
    {
        // 30 rows: a is null on every 3rd (10 rows), b negative on every 5th (6 rows), c not a number on every 2nd (15 rows).
        var rows = Enumerable.Range(1, 30).Select(id => $"({id}, {(id % 3 == 0 ? "NULL" : "'x'")}, {(id % 5 == 0 ? -id : id)}, '{(id % 2 == 0 ? "n/a" : id.ToString())}')");
        await using var world = await ScanWorld.StartAsync(kind, $"CREATE TABLE wide (id integer, a text, b integer, c text); INSERT INTO wide VALUES {string.Join(", ", rows)};");
        var nulls = await world.AddCheckAsync("wide", "notNull", ["a"]);
        var negatives = await world.AddCheckAsync("wide", "notNegative", ["b"]);
        var numbers = await world.AddCheckAsync("wide", "matchesPattern", ["c"], new { pattern = "^[0-9]+$" });
        var passing = await world.AddCheckAsync("wide", "notNull", ["id"]);
        (await world.SetSourceRecordLimitAsync(7)).EnsureSuccessStatusCode();

        var scan = await world.ScanAsync();

        var anomalies = (await world.AnomaliesAsync()).ToDictionary(a => a.CheckId!.Value);
        Assert.Equal([nulls, negatives, numbers], anomalies.Keys.Order());
        Assert.Equal(CheckOutcome.Passed, (await world.ResultsAsync(scan.Id))[passing].Result);
        foreach (var (check, failing, count) in new[] { (nulls, 10L, 7), (negatives, 6L, 6), (numbers, 15L, 7) })
        {
            Assert.Equal(failing, anomalies[check].AnomalousRecords);
            var ids = JsonDocument.Parse(anomalies[check].SourceRecordsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToList();
            Assert.Equal(count, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Equal(0, id % (check == nulls ? 3 : check == negatives ? 5 : 2)));
        }
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task WholeNumbersInPropertiesCompareWithEveryDigit(string kind)
    {
        // 2^53 and 2^53 + 1 are one and the same number once written as doubles: only whole-number parameters tell them apart.
        await using var world = await ScanWorld.StartAsync(kind, "CREATE TABLE big (id integer, n bigint); INSERT INTO big VALUES (1, 9007199254740992), (2, 9007199254740993);");
        var between = await world.AddCheckAsync("big", "between", ["n"], new { min = 9007199254740993, max = 9007199254740999 });
        var greater = await world.AddCheckAsync("big", "greaterThan", ["n"], new { value = 9007199254740992 });
        var expected = await world.AddCheckAsync("big", "expectedValues", ["n"], new { list = new[] { 9007199254740992 } });

        var scan = await world.ScanAsync();

        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal((1L, 1L, 1L), (results[between].AnomalousRecords!.Value, results[greater].AnomalousRecords!.Value, results[expected].AnomalousRecords!.Value));
        var anomalies = (await world.AnomaliesAsync()).ToDictionary(a => a.CheckId!.Value, a => JsonDocument.Parse(a.SourceRecordsJson).RootElement[0].GetProperty("id").GetInt32());
        Assert.Equal((1, 1, 2), (anomalies[between], anomalies[greater], anomalies[expected]));
    }
}
