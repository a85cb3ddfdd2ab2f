using Quarry.Cli;
using Quarry.Server.Store;
using Quarry.Tests.Support;

namespace Quarry.Tests.Config;

/// <summary>The README's config-as-code steps on <c>examples/quarry-config</c>: copy it and its <c>.env.example</c>, then import.</summary>
public sealed class ExampleFolderTests
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
