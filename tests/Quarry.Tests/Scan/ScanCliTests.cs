namespace Quarry.Tests.Scan;

public sealed class ScanCliTests
{
    [Fact]
    public async Task OperationsScanWaitExitsWithAnomaliesFoundOnlyWhenAskedAndAnyCheckFailed()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ScanRuleTests.Orders + "CREATE TABLE clean (id integer); INSERT INTO clean VALUES (1);");
        using var cli = new CliRunner(world.Server);
        await world.AddCheckAsync("orders", "notNull", ["email"]);
        await world.AddCheckAsync("clean", "notNull", ["id"]);

        var passing = await cli.RunAsync("operations", "scan", "--datastore-id", $"{world.DatastoreId}", "--container", "clean", "--wait", "--fail-on-anomalies");
        Assert.True(passing.ExitCode == ExitCodes.Success, passing.Output);
        Assert.Contains("Scan Summary", passing.Stdout);
        Assert.Contains("1 datastore(s) scanned; no check failed.", passing.Stdout);

        var gated = await cli.RunAsync("operations", "scan", "--datastore-id", "shop", "--wait", "--fail-on-anomalies", "--format", "json");
        Assert.True(gated.ExitCode == ExitCodes.AnomaliesFound, gated.Output);
        var summary = JsonDocument.Parse(gated.Stdout).RootElement[0].GetProperty("summary");
        Assert.Equal((2, 1, 1), (summary.GetProperty("checks").GetInt32(), summary.GetProperty("checks_passed").GetInt32(), summary.GetProperty("checks_failed").GetInt32()));

        var ungated = await cli.RunAsync("operations", "scan", "--datastore-id", $"{world.DatastoreId}", "--wait");
        Assert.True(ungated.ExitCode == ExitCodes.Success, ungated.Output);
        Assert.Contains("1 check(s) failed", ungated.Stdout);

        var failedScan = await cli.RunAsync("operations", "scan", "--datastore-id", $"{world.DatastoreId}", "--container", "missing", "--wait", "--fail-on-anomalies");
        Assert.Equal(ExitCodes.Failure, failedScan.ExitCode);
        Assert.Contains("has no container named 'missing'", failedScan.Output);

        var usage = await cli.RunAsync("operations", "scan", "--datastore-id", $"{world.DatastoreId}", "--fail-on-anomalies");
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        Assert.Contains("--fail-on-anomalies needs --wait", usage.Stderr);
    }

    [Fact]
    public async Task AScanOrProfileOfADatastoreNeverSyncedFailsSayingToSyncItInsteadOfPassingHavingCheckedNothing()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ScanRuleTests.Orders);
        using var cli = new CliRunner(world.Server);
        var file = Path.Combine(Path.GetDirectoryName(world.SqlitePath!)!, "never.db");
        await SourceDatabases.ExecuteSqliteAsync(file, "CREATE TABLE t (id integer); INSERT INTO t VALUES (NULL);");
        var connection = await SyncApi.CreateConnectionAsync(world.Admin, new { name = "never-conn", type = "sqlite", path = file });
        var never = await SyncApi.CreateDatastoreAsync(world.Admin, connection, "never", null, "main");

        var scan = await cli.RunAsync("operations", "scan", "--datastore-id", $"{never}", "--wait", "--fail-on-anomalies");
        Assert.Equal(ExitCodes.Failure, scan.ExitCode);
        Assert.Contains("datastore 'never' has never been synced", scan.Output);
        Assert.Contains($"quarry operations sync --datastore-id {never} --wait", scan.Output);

        var profile = await cli.RunAsync("operations", "profile", "--datastore-id", $"{never}", "--wait");
        Assert.Equal(ExitCodes.Failure, profile.ExitCode);
        Assert.Contains("has never been synced", profile.Output);

        // Once synced, the same datastore scans (and an empty but synced one would too).
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(world.Admin, never)).Result);
        var after = await cli.RunAsync("operations", "scan", "--datastore-id", $"{never}", "--wait", "--fail-on-anomalies");
        Assert.True(after.ExitCode == ExitCodes.Success, after.Output);
    }
}
