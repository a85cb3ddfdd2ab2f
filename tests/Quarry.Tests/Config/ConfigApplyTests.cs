namespace Quarry.Tests.Config;

/// <summary>Who may apply what, all-or-nothing versus --continue-on-error, and imports racing each other.</summary>
public sealed class ConfigApplyTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task MemberImportIsRefusedPerItemWithNothingWritten(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        var (_, memberToken) = await world.Server.CreateUserAsync("member", Role.Member);
        world.Cli.Set("QUARRY_TOKEN", memberToken);

        var result = await world.ImportAsync();

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("quarry-config/connections/warehouse-prod-db.yaml:1:1: connection 'warehouse-prod-db': Creating connections needs the Manager role; your role is Member.", result.Stderr);
        Assert.Contains("connection 'data-lake-prod': Creating connections needs the Manager role", result.Stderr);
        Assert.Contains("Nothing was applied", result.Stderr);
        Assert.Contains(ConfigFolders.Row("Connections", 0, 0, 0, 3), ConfigFolders.Squeeze(result.Stdout));
        Assert.Equal((0, 0, 0), await world.Server.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EditorMemberMayUpdateItsTeamsDatastoreButNotOthers(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        var server = world.Server;
        var team = await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "analysts" });
        world.Write("datastores/analytics-prod/_datastore.yaml", "name: analytics-prod\nconnection: analytics-prod-db\nschema: public\nteams: [analysts]");
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync()).ExitCode);
        var (memberId, memberToken) = await server.CreateUserAsync("editor", Role.Member);
        (await server.Admin.PostAsJsonAsync($"/api/teams/{team.GetProperty("id").GetInt32()}/members", new { user_id = memberId, permission = "Editor" })).EnsureSuccessStatusCode();
        world.Write("datastores/analytics-prod/_datastore.yaml", "name: analytics-prod\nconnection: analytics-prod-db\nschema: public\nteams: [analysts]\ndescription: owned by analysts");
        world.Write("datastores/data-lake-prod/_datastore.yaml", "name: data-lake-prod\nconnection: data-lake-prod\ndescription: not yours");
        using var member = new CliRunner(server, memberToken).WithSeedSecrets();

        var refused = await member.ImportAsync(world.Root);
        var allowed = await member.ImportAsync(world.Root, "--continue-on-error");

        Assert.True(refused.ExitCode == ExitCodes.Failure, refused.Output);
        Assert.Contains("datastore 'data-lake-prod': Updating datastore 'data-lake-prod' needs the Editor permission", refused.Stderr);
        Assert.Equal(ExitCodes.Failure, allowed.ExitCode);
        Assert.Contains("Updated datastore: analytics-prod\n    ~ description: (none) → owned by analysts", allowed.Stdout);
        var descriptions = await server.WithDbAsync(db => db.Datastores.OrderBy(d => d.Name).Select(d => d.Name + "=" + d.Description).ToListAsync());
        Assert.Contains("analytics-prod=owned by analysts", descriptions);
        Assert.Contains("data-lake-prod=", descriptions);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task FailedItemRollsBackEverythingUnlessContinueOnErrorSkipsItsDependents(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        // Valid as a file, refused by the server's connection rules: a postgresql connection needs a username.
        world.Write("connections/analytics-prod-db.yaml", "name: analytics-prod-db\ntype: postgresql\nhost: analytics.example.com");
        world.Write("datastores/unknown-team/_datastore.yaml", "name: unknown-team\nconnection: data-lake-prod\nteams: [nobody]");

        var atomic = await world.ImportAsync();
        var counted = await world.Server.CountAsync();
        var partial = await world.ImportAsync("--continue-on-error", "--format", "json");

        Assert.True(atomic.ExitCode == ExitCodes.Usage, atomic.Output);
        Assert.True(atomic.Stderr.Contains("quarry-config/connections/analytics-prod-db.yaml:1:1: connection 'analytics-prod-db': username: is required for a postgresql connection.", StringComparison.Ordinal), atomic.Output);
        Assert.True(atomic.Stderr.Contains("quarry-config/datastores/unknown-team/_datastore.yaml:3:8: datastore 'unknown-team': teams: unknown team(s): nobody.", StringComparison.Ordinal), atomic.Output);
        Assert.Equal((0, 0, 0), counted);

        Assert.Equal(ExitCodes.Failure, partial.ExitCode);
        var items = JsonDocument.Parse(partial.Stdout).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("kind").GetString() + ":" + i.GetProperty("name").GetString(), i => i.GetProperty("action").GetString());
        Assert.Equal("failed", items["connection:analytics-prod-db"]);
        Assert.Equal("skipped", items["datastore:analytics-prod"]);
        Assert.Equal("failed", items["datastore:unknown-team"]);
        Assert.Equal("create", items["datastore:warehouse-prod"]);
        Assert.Equal((2, 3, 1), await world.Server.CountAsync());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TwoConcurrentImportsCreateEachResourceOnce(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        using var second = new CliRunner(world.Server).WithSeedSecrets();
        ConfigFolders.WriteSeedFolder(second.WorkingDirectory);

        var results = await Task.WhenAll(
            Task.Run(() => world.ImportAsync()),
            Task.Run(() => second.ImportAsync("quarry-config")));

        Assert.All(results, r => Assert.Equal(ExitCodes.Success, r.ExitCode));
        Assert.Equal((3, 4, 1), await world.Server.CountAsync());
        // One of them created everything; the other found it all in place.
        Assert.Single(results, r => r.Stdout.Contains("Created connection: warehouse-prod-db", StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SecretsNeverAppearInOutputLogsOrJson(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        world.Write("connections/data-lake-prod.yaml", "name: data-lake-prod\ntype: sqlite\npath: /srv/lake.db\nparameters:\n  api_key: ${LAKE_KEY}\n  mode: ro");
        world.Cli.Set("LAKE_KEY", "lake-k3y-value-123");
        var runs = new List<CliResult>
        {
            await world.ImportAsync("--dry-run", "--format", "json"),
            await world.ImportAsync(),
        };
        world.Cli.Set("LAKE_KEY", "lake-k3y-value-456").Set("WAREHOUSE_PASSWORD", "rotated-p4ss-789");
        runs.Add(await world.ImportAsync("--dry-run"));
        runs.Add(await world.ImportAsync("--format", "json"));

        Assert.Contains("    ~ parameters.api_key: (sensitive value changed)", runs[2].Stdout);
        Assert.Contains("    ~ password: (sensitive value changed)", runs[2].Stdout);
        var everything = string.Join("\n", runs.Select(r => r.Output)) + world.Server.Logs.All;
        foreach (var secret in new[] { "lake-k3y-value-123", "lake-k3y-value-456", "rotated-p4ss-789", ConfigFolders.WarehousePassword, ConfigFolders.AnalyticsPassword })
            Assert.DoesNotContain(secret, everything);
    }
}
