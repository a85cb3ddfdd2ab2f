using System.Text.RegularExpressions;
using static Quarry.Tests.Config.ExampleFolders;

namespace Quarry.Tests.Config;

/// <summary>
/// The README's config-as-code steps on <c>examples/quarry-config</c>: copy it and its <c>.env.example</c>, then
/// import; and the steps of <c>examples/github-actions</c> on it, against a real PostgreSQL and SQLite file.
/// </summary>
public sealed partial class ExampleFolderTests
{
    [Fact]
    public async Task TheExampleFolderTakesItsPortFromDotEnvAndRefusesAPortThatIsNotANumber()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        Copy(Path.Combine(RepoRoot(), "examples", "quarry-config"), Path.Combine(cli.WorkingDirectory, "quarry-config"));
        var env = File.ReadAllText(Path.Combine(cli.WorkingDirectory, "quarry-config", ".env.example"));
        File.WriteAllText(Path.Combine(cli.WorkingDirectory, ".env"), env.Replace("WAREHOUSE_PORT=5432", "WAREHOUSE_PORT=6432", StringComparison.Ordinal));

        var applied = await cli.RunAsync("config", "import", "--input", "quarry-config", "--include", "connections,datastores");
        Assert.True(applied.ExitCode == ExitCodes.Success, applied.Output);
        var port = await server.WithDbAsync(db => Task.FromResult(db.Connections.Single(c => c.Name == "warehouse-prod-db").Port));
        Assert.Equal(6432, port);

        cli.Set("WAREHOUSE_PORT", "54x32");
        var refused = await cli.RunAsync("config", "import", "--input", "quarry-config", "--include", "connections,datastores");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains(Path.Combine("quarry-config", "connections", "warehouse-prod-db.yaml") + ":5:", refused.Stderr);
        Assert.Contains("whole number", refused.Stderr);
    }

    [Fact]
    public async Task TheGitHubActionsWorkflowSetsEveryVariableOfTheExampleAndItsStepsPlanThenApplyAgainstRealDatabases()
    {
        var workflow = File.ReadAllText(Path.Combine(RepoRoot(), "examples", "github-actions", "quarry-config-import.yml"));
        var set = WorkflowSecret().Matches(workflow).Select(m => m.Groups[1].Value).ToHashSet();
        var used = Directory.EnumerateFiles(Example("quarry-config"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => Placeholder().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Empty(used.Except(set).Order());

        // The databases the example names, on the test PostgreSQL, and its lake as a SQLite file.
        var analytics = TestPostgres.ConnectionStringFor("analytics");
        var events = TestPostgres.ConnectionStringFor("events");
        await TestPostgres.ExecuteAsync("CREATE DATABASE analytics");
        await TestPostgres.ExecuteAsync("CREATE DATABASE events");
        try
        {
            await TestPostgres.ExecuteAsync("""
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, email text, amount numeric(12,2), status text);
                CREATE TABLE customers (id bigint PRIMARY KEY, country text);
                CREATE SCHEMA quarry_enrichment;
                """, analytics);
            await TestPostgres.ExecuteAsync("CREATE TABLE page_views (id bigint, url text)", events);
            await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
            using var cli = new CliRunner(server);
            var lake = Path.Combine(cli.WorkingDirectory, "lake.db");
            await SourceDatabases.ExecuteSqliteAsync(lake, "CREATE TABLE readings (id INTEGER, value REAL)");
            var pg = TestPostgres.Builder;
            var port = pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            FillEnvironment(cli, "quarry-config", new()
            {
                ["WAREHOUSE_HOST"] = pg.Host!, ["WAREHOUSE_PORT"] = port, ["WAREHOUSE_USER"] = pg.Username!, ["WAREHOUSE_PASSWORD"] = pg.Password ?? "unused",
                ["ANALYTICS_HOST"] = pg.Host!, ["ANALYTICS_USER"] = pg.Username!, ["ANALYTICS_PASSWORD"] = pg.Password ?? "unused",
                ["DATA_LAKE_PATH"] = lake,
            });

            // The pull request's step, then the push's step, as the workflow runs them.
            var plan = await cli.RunAsync("config", "import", "--input", "quarry-config", "--dry-run", "--detailed-exitcode");
            Assert.True(plan.ExitCode == ExitCodes.ChangesPending, plan.Output);
            var apply = await cli.RunAsync("config", "import", "--input", "quarry-config", "--sync", "--format", "json");
            Assert.True(apply.ExitCode == ExitCodes.Success, apply.Output);

            using var result = JsonDocument.Parse(apply.Stdout);
            // The datastore with checks is synced before its checks are applied; the others' syncs are started.
            var syncs = result.RootElement.GetProperty("syncs").EnumerateArray()
                .ToDictionary(s => s.GetProperty("datastore").GetString()!, s => s.GetProperty("result").GetString());
            Assert.Equal(["analytics-prod", "data-lake-prod", "warehouse-prod"], syncs.Keys.Order());
            Assert.Equal("success", syncs["warehouse-prod"]);
            var checks = await server.WithDbAsync(db => db.QualityChecks.Select(c => c.Rule).OrderBy(r => r).ToListAsync());
            Assert.Equal(["between", "notNull"], checks);
            var containers = await server.WithDbAsync(db => db.Containers.Where(c => db.Datastores.Any(d => d.Id == c.DatastoreId && d.Name == "warehouse-prod")).Select(c => c.Name).OrderBy(n => n).ToListAsync());
            Assert.Equal(["customers", "orders", "orders_with_customers"], containers);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(analytics);
            await TestPostgres.DropDatabaseAsync(events);
        }
    }

    [GeneratedRegex(@"^\s+([A-Z][A-Z0-9_]*): \$\{\{ secrets\.", RegexOptions.Multiline)]
    private static partial Regex WorkflowSecret();

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)\}")]
    private static partial Regex Placeholder();

    private static string RepoRoot() => Processes.RepoRoot();
}
