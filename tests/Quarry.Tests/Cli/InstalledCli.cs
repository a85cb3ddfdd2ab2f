using Quarry.Tests.Config;

namespace Quarry.Tests.Cli;

/// <summary>What every way of installing the CLI must do: import the example config folder into a real server as its own process.</summary>
internal static class InstalledCli
{
    public static async Task AssertImportsTheExampleFolderAsync(string quarry, CliRunner cli, QuarryTestServer server)
    {
        ConfigFolders.WriteSeedFolder(cli.WorkingDirectory);
        var import = await Processes.RunAsync(quarry, ["config", "import", "--input", "quarry-config"], cli.WorkingDirectory,
            ("QUARRY_URL", server.Url), ("QUARRY_TOKEN", server.AdminToken), ("WAREHOUSE_HOST", "warehouse.example.com"),
            ("WAREHOUSE_USER", "quarry_reader"), ("WAREHOUSE_PASSWORD", ConfigFolders.WarehousePassword), ("ANALYTICS_PASSWORD", ConfigFolders.AnalyticsPassword));

        Assert.True(import.ExitCode == ExitCodes.Success, import.Output);
        Assert.Contains("Created connection: warehouse-prod-db", import.Stdout);
        Assert.Equal((3, 4, 1), await server.CountAsync());
        Assert.DoesNotContain(ConfigFolders.WarehousePassword, import.Output);
    }
}
