using System.Text.Json;
using System.Text.RegularExpressions;
using Quarry.Cli;
using Quarry.Server.Operations;
using Quarry.Server.Store;
using Quarry.Tests.Support;
using Quarry.Tests.Sync;

namespace Quarry.Tests.Config;

/// <summary>
/// The config-as-code steps on each folder of <c>examples/</c>: copy it, fill its <c>.env.example</c> into <c>.env</c>,
/// then import; the mysql and files examples against a real MariaDB and a real folder, synced to the end.
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
    public async Task TheMySqlExampleImportsAndSyncsARealMariaDbDatabase()
    {
        var (user, password) = await TestMariaDb.CreateUserAsync();
        // The example's datastore reads the MySQL database 'orders'.
        await TestMariaDb.ExecuteAsync($"""
            CREATE DATABASE orders CHARACTER SET utf8mb4;
            CREATE TABLE orders.orders (id int PRIMARY KEY, customer_email varchar(200), amount decimal(10,2));
            CREATE TABLE orders.customers (id int PRIMARY KEY, name varchar(100));
            GRANT SELECT, SHOW VIEW ON orders.* TO '{user}'@'127.0.0.1';
            """);
        try
        {
            await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
            using var cli = new CliRunner(server);
            FillEnvironment(cli, "mysql-config", new()
            {
                ["SHOP_MYSQL_HOST"] = TestMariaDb.Builder.Server,
                ["SHOP_MYSQL_PORT"] = TestMariaDb.Builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SHOP_MYSQL_USER"] = user,
                ["SHOP_MYSQL_PASSWORD"] = password,
                ["SHOP_MYSQL_SSLMODE"] = "none", // the test server has no TLS
            });

            var synced = await ImportAndSyncAsync(server, cli, "mysql-config", "shop-orders");

            Assert.Equal(["customers", "orders"], synced.Select(c => c.Name));
            Assert.Equal(3, synced.Single(c => c.Name == "orders").FieldCount);
        }
        finally
        {
            await TestMariaDb.DropDatabaseAsync("orders", user);
        }
    }

    [Fact]
    public async Task TheFilesExampleImportsAndSyncsARealFolder()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var lake = Directory.CreateDirectory(Path.Combine(cli.WorkingDirectory, "lake", "sales")).FullName;
        // As the example says: two monthly files of one container 'orders', and a Parquet file of its own.
        File.WriteAllText(Path.Combine(lake, "orders_2024-01.csv"), "id,email,amount\n1,a@example.com,10.5\n");
        File.WriteAllText(Path.Combine(lake, "orders_2024-02.csv"), "id,email,amount\n2,b@example.com,20\n");
        FilesSource.WriteParquet(Path.Combine(lake, "customers.parquet"), "SELECT 1 AS id, 'Ada' AS name");
        FillEnvironment(cli, "files-config", new() { ["LAKE_FOLDER"] = Path.GetDirectoryName(lake)! });

        var synced = await ImportAndSyncAsync(server, cli, "files-config", "lake-sales");

        Assert.Equal(["customers", "orders"], synced.Select(c => c.Name));
        Assert.Equal(3, synced.Single(c => c.Name == "orders").FieldCount);
    }

    [Fact]
    public async Task TheGitHubActionsWorkflowSetsEveryVariableOfTheExampleAndItsStepsPlanThenApply()
    {
        var workflow = File.ReadAllText(Path.Combine(RepoRoot(), "examples", "github-actions", "quarry-config-import.yml"));
        var set = WorkflowVariable().Matches(workflow).Select(m => m.Groups[1].Value).ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(RepoRoot(), "examples", "quarry-config"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => Placeholder().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Empty(used.Except(set).Order());

        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        Copy(Path.Combine(RepoRoot(), "examples", "quarry-config"), Path.Combine(cli.WorkingDirectory, "quarry-config"));
        File.Copy(Path.Combine(cli.WorkingDirectory, "quarry-config", ".env.example"), Path.Combine(cli.WorkingDirectory, ".env"));

        // The pull request's step, then the push's step, as the workflow runs them.
        var plan = await cli.RunAsync("config", "import", "--input", "quarry-config", "--dry-run", "--detailed-exitcode");
        Assert.True(plan.ExitCode == ExitCodes.ChangesPending, plan.Output);
        var apply = await cli.RunAsync("config", "import", "--input", "quarry-config", "--sync", "--format", "json");
        Assert.True(apply.ExitCode == ExitCodes.Success, apply.Output);
        using var result = JsonDocument.Parse(apply.Stdout);
        var names = await server.WithDbAsync(db => Task.FromResult(db.Datastores.Select(d => d.Name).Order().ToList()));
        Assert.Equal(["analytics-prod", "data-lake-prod", "warehouse-enrichment", "warehouse-prod"], names);
        var again = await cli.RunAsync("config", "import", "--input", "quarry-config", "--dry-run", "--detailed-exitcode");
        Assert.True(again.ExitCode == ExitCodes.Success, again.Output);
    }

    [GeneratedRegex(@"^\s+([A-Z][A-Z0-9_]*): \$\{\{ secrets\.", RegexOptions.Multiline)]
    private static partial Regex WorkflowVariable();

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// Copies examples/<paramref name="example"/> into the working folder and writes its <c>.env.example</c> as
    /// <c>.env</c> with <paramref name="values"/>: the example must list exactly these variables.
    /// </summary>
    private static void FillEnvironment(CliRunner cli, string example, Dictionary<string, string> values)
    {
        Copy(Path.Combine(RepoRoot(), "examples", example), Path.Combine(cli.WorkingDirectory, example));
        var lines = File.ReadAllLines(Path.Combine(cli.WorkingDirectory, example, ".env.example"));
        var listed = lines.Where(l => l.Contains('=') && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')]).ToList();
        Assert.Equal(values.Keys.Order(), listed.Order());
        File.WriteAllLines(Path.Combine(cli.WorkingDirectory, ".env"), listed.Select(k => $"{k}={values[k]}"));
    }

    /// <summary>Imports the example with <c>--sync</c>, waits for the sync it started, and returns the datastore's containers.</summary>
    private static async Task<List<Quarry.Contracts.Catalog.ContainerDto>> ImportAndSyncAsync(QuarryTestServer server, CliRunner cli, string example, string datastore)
    {
        var result = await cli.RunAsync("config", "import", "--input", example, "--sync");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var started = Regex.Match(result.Stdout, $@"Started sync for datastore: {Regex.Escape(datastore)} \(operation (\d+)\)");
        Assert.True(started.Success, result.Stdout);
        var sync = await SyncApi.WaitAsync(server.Admin, int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(sync.Result == OperationResult.Success, sync.Message);
        var id = await server.WithDbAsync(db => Task.FromResult(db.Datastores.Single(d => d.Name == datastore).Id));
        return [.. (await SyncApi.ContainersAsync(server.Admin, id)).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepoRoot() => Processes.RepoRoot();
}
