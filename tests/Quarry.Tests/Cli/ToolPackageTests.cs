namespace Quarry.Tests.Cli;

/// <summary>The README's other way to get a <c>quarry</c> command: <c>dotnet pack</c>, then <c>dotnet tool install</c>.</summary>
[Collection(ReleaseBuilds.Name)]
public sealed class ToolPackageTests
{
    [Fact]
    public async Task ThePackedToolInstallsIntoAToolPathAndImportsAConfigFolder()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var packages = Path.Combine(cli.WorkingDirectory, "nupkg");
        var tools = Path.Combine(cli.WorkingDirectory, "tools");

        var pack = await Processes.RunAsync("dotnet", ["pack", Path.Combine(Processes.RepoRoot(), "src", "Quarry.Cli"), "-c", "Release", "-o", packages,
            "--nologo", "-v", "q", "--disable-build-servers"], cli.WorkingDirectory);
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.True(File.Exists(Path.Combine(packages, "quarry.0.1.0.nupkg")), string.Join(", ", Directory.GetFiles(packages)));

        // Only the packed folder as a source: the test must not depend on (or find another 'quarry' on) nuget.org.
        var config = Path.Combine(cli.WorkingDirectory, "nuget.config");
        File.WriteAllText(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        var install = await Processes.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "quarry", "--add-source", packages, "--configfile", config],
            cli.WorkingDirectory);
        Assert.True(install.ExitCode == 0, install.Output);

        var quarry = Path.Combine(tools, "quarry");
        var version = await Processes.RunAsync(quarry, ["--version"], cli.WorkingDirectory);
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.StartsWith("0.1.0", version.Stdout);

        await InstalledCli.AssertImportsTheExampleFolderAsync(quarry, cli, server);
    }
}
