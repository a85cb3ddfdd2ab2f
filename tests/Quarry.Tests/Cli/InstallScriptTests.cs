using Quarry.Cli;
using Quarry.Server.Store;
using Quarry.Tests.Config;
using Quarry.Tests.Support;

namespace Quarry.Tests.Cli;

/// <summary>The README's way to get a <c>quarry</c> command: <c>scripts/install-cli.sh</c>, then the installed binary as its own process.</summary>
[Collection(ReleaseBuilds.Name)]
public sealed class InstallScriptTests
{
    [Fact]
    public async Task InstalledCliImportsTheSeedFolderIntoARealServer()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var install = Path.Combine(cli.WorkingDirectory, "install");
        var bin = Path.Combine(cli.WorkingDirectory, "bin");

        var installed = await RunAsync("bash", [Path.Combine(RepoRoot(), "scripts", "install-cli.sh"), "--dir", install], cli.WorkingDirectory, ("QUARRY_BIN_DIR", bin));

        Assert.True(installed.ExitCode == 0, installed.Output);
        Assert.Contains($"linked as {bin}/quarry", installed.Stdout);
        Assert.Equal(Path.Combine(install, "quarry"), new FileInfo(Path.Combine(bin, "quarry")).LinkTarget);

        ConfigFolders.WriteSeedFolder(cli.WorkingDirectory);
        var import = await RunAsync(Path.Combine(bin, "quarry"), ["config", "import", "--input", "quarry-config"], cli.WorkingDirectory,
            ("QUARRY_URL", server.Url), ("QUARRY_TOKEN", server.AdminToken), ("WAREHOUSE_HOST", "warehouse.example.com"),
            ("WAREHOUSE_USER", "quarry_reader"), ("WAREHOUSE_PASSWORD", ConfigFolders.WarehousePassword), ("ANALYTICS_PASSWORD", ConfigFolders.AnalyticsPassword));

        Assert.True(import.ExitCode == ExitCodes.Success, import.Output);
        Assert.Contains("Created connection: warehouse-prod-db", import.Stdout);
        Assert.Equal((3, 4, 1), await server.CountAsync());
        Assert.DoesNotContain(ConfigFolders.WarehousePassword, import.Output);
    }

    private static Task<CliResult> RunAsync(string program, string[] args, string workingDirectory, params (string Name, string Value)[] environment) =>
        Processes.RunAsync(program, args, workingDirectory, environment);

    private static string RepoRoot() => Processes.RepoRoot();
}
