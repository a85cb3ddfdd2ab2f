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

        var installed = await Processes.RunAsync("bash", [Path.Combine(Processes.RepoRoot(), "scripts", "install-cli.sh"), "--dir", install], cli.WorkingDirectory, ("QUARRY_BIN_DIR", bin));

        Assert.True(installed.ExitCode == 0, installed.Output);
        Assert.Contains($"linked as {bin}/quarry", installed.Stdout);
        Assert.Equal(Path.Combine(install, "quarry"), new FileInfo(Path.Combine(bin, "quarry")).LinkTarget);

        await InstalledCli.AssertImportsTheExampleFolderAsync(Path.Combine(bin, "quarry"), cli, server);
    }
}
