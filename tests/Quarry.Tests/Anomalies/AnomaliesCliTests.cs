using System.Globalization;

namespace Quarry.Tests.Anomalies;

/// <summary><c>quarry anomalies</c> against a real server after a scan: list, look at the failing rows, triage, delete.</summary>
public sealed class AnomaliesCliTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATeamTriagesAScansAnomaliesFromTheCommandLine(StoreKind kind)
    {
        await using var world = await AnomalyWorld.StartAsync(kind);
        var anomalies = await world.ScanAnomaliesAsync();
        var (amount, status) = (Text(anomalies[world.AmountNotNull]), Text(anomalies[world.StatusExpected]));
        using var cli = new CliRunner(world.Server);

        var table = await cli.RunAsync("anomalies", "list", "--datastore", "shop");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("notNull(amount)", table.Stdout);
        Assert.Contains("expectedValues(status)", table.Stdout);
        Assert.Contains("2 anomalies", table.Stdout);
        var json = await cli.RunAsync("anomalies", "list", "--datastore", "shop", "--container", "orders", "--status", "Active", "--format", "json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal([amount, status], Ids(json.Stdout).Order());

        var records = await cli.RunAsync("anomalies", "get", amount, "--source-records");
        Assert.Equal(0, records.ExitCode);
        Assert.Contains("amount *", records.Stdout);
        Assert.Contains("d@example.com", records.Stdout);
        Assert.Contains("2 row(s)", records.Stdout);
        var one = JsonDocument.Parse((await cli.RunAsync("anomalies", "get", amount, "--format", "json")).Stdout).RootElement;
        Assert.Equal("orders", one.GetProperty("container").GetProperty("name").GetString());

        var acknowledged = await cli.RunAsync("anomalies", "update", amount, status, "--status", "acknowledged", "--description", "looking", "--format", "json");
        Assert.Equal(0, acknowledged.ExitCode);
        Assert.All(JsonDocument.Parse(acknowledged.Stdout).RootElement.EnumerateArray(), a =>
        {
            Assert.Equal("Acknowledged", a.GetProperty("status").GetString());
            Assert.Equal("looking", a.GetProperty("description").GetString());
        });
        // The table keeps what the scan found and shows the team's note after it.
        var noted = await cli.RunAsync("anomalies", "get", amount);
        Assert.Contains(one.GetProperty("message").GetString()!, noted.Stdout);
        Assert.Contains("note: looking", noted.Stdout);
        var archived = await cli.RunAsync("anomalies", "archive", status, "--status", "Invalid");
        Assert.Equal(0, archived.ExitCode);
        Assert.Contains($"Archived anomaly {status} as Invalid", archived.Stdout);
        Assert.Equal([amount], Ids((await cli.RunAsync("anomalies", "list", "--format", "json")).Stdout));
        Assert.Equal([status], Ids((await cli.RunAsync("anomalies", "list", "--archived", "only", "--format", "json")).Stdout));

        // Mistakes are usage errors (exit 2) and send nothing; refusals by the server exit 1 or 4.
        var wrongStatus = await cli.RunAsync("anomalies", "archive", amount, "--status", "Active");
        Assert.Equal(2, wrongStatus.ExitCode);
        Assert.Contains("Resolved, Invalid, Duplicate, Archived", wrongStatus.Stderr);
        Assert.Equal(2, (await cli.RunAsync("anomalies", "update", amount)).ExitCode);
        Assert.Equal(2, (await cli.RunAsync("anomalies", "update", "twelve", "--status", "Active")).ExitCode);
        Assert.Equal(2, (await cli.RunAsync("anomalies", "list", "--container", "orders")).ExitCode);
        Assert.Equal(2, (await cli.RunAsync("anomalies", "delete", amount)).ExitCode);
        var missing = await cli.RunAsync("anomalies", "update", amount, "999999", "--status", "Resolved");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("999999", missing.Stderr);
        Assert.Equal("Acknowledged", JsonDocument.Parse((await cli.RunAsync("anomalies", "get", amount, "--format", "json")).Stdout).RootElement.GetProperty("status").GetString());

        var (vera, viewerToken) = await world.Server.CreateUserAsync("vera", Role.Member);
        var sales = (await world.Admin.ReadAsync("/api/teams")).GetProperty("items").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetInt32();
        await world.Admin.ExpectAsync(System.Net.HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{sales}/members", new { user_id = vera, permission = "Viewer" });
        using var viewer = new CliRunner(world.Server, viewerToken);
        Assert.Equal([amount], Ids((await viewer.RunAsync("anomalies", "list", "--format", "json")).Stdout));
        var forbidden = await viewer.RunAsync("anomalies", "update", amount, "--status", "Resolved");
        Assert.Equal(4, forbidden.ExitCode);
        Assert.Contains("Author or Editor", forbidden.Stderr);

        var deleted = await cli.RunAsync("anomalies", "delete", amount, status, "--yes");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Empty(Ids((await cli.RunAsync("anomalies", "list", "--archived", "include", "--format", "json")).Stdout));
    }

    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string[] Ids(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(a => Text(a.GetProperty("id").GetInt32())).ToArray();
}
