using System.Diagnostics;
using Quarry.Cli;
using Quarry.Server.Store;
using Quarry.Tests.Config;
using Quarry.Tests.Support;

namespace Quarry.Tests.Cli;

/// <summary>The README's way to get a <c>quarry</c> command: <c>scripts/install-cli.sh</c>, then the installed binary as its own process.</summary>
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

    private static async Task<CliResult> RunAsync(string program, string[] args, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Quarry.slnx"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("The tests run outside the Quarry repository.");
    }
}
