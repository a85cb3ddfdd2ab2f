namespace Quarry.Tests.Cli;

/// <summary><c>quarry db status|migrate</c> and <c>serve</c> with a store they can't use: a message and an exit code, never a stack trace.</summary>
public sealed class DbCommandTests
{
    private const string Password = "Sup3r-Secret-Store-Pw";

    [Theory]
    [InlineData("db status")]
    [InlineData("db migrate")]
    [InlineData("serve --port 0")]
    public async Task MalformedDatabaseStringIsAUsageErrorThatNeverShowsThePassword(string command)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync([.. command.Split(' '), "--database", $"Hst=127.0.0.1;Password={Password}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--database (or QUARRY_DATABASE) is not a valid PostgreSQL connection string", result.Stderr);
        Assert.Contains("'hst'", result.Stderr);
        Assert.DoesNotContain(Password, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("migrate")]
    public async Task UnreachableStoreFailsWithOneLineInsteadOfAStackTrace(string sub)
    {
        using var cli = new CliRunner();
        cli.Set("QUARRY_DATABASE", $"Host=127.0.0.1;Port=1;Database=quarry;Username=quarry;Password={Password};Timeout=3");

        var result = await cli.RunAsync("db", sub);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: the store could not be opened: ", result.Stderr);
        Assert.DoesNotContain(Password, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task StatusListsPendingMigrationsAndMigrateAppliesThem()
    {
        using var cli = new CliRunner();
        var data = Path.Combine(cli.WorkingDirectory, "data");

        // Looking in a folder with no store says so, and creates nothing there.
        var nowhere = await cli.RunAsync("db", "status", "--data", data);
        Assert.Equal(2, nowhere.ExitCode);
        Assert.Contains("there is no Quarry store at", nowhere.Stderr);
        Assert.False(Directory.Exists(data));

        // An empty store file (as an older version could leave) has every migration pending.
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "quarry.db"), []);
        var before = await cli.RunAsync("db", "status", "--data", data);
        var migrate = await cli.RunAsync("db", "migrate", "--data", data);
        var after = await cli.RunAsync("db", "status", "--data", data);

        Assert.Equal(0, before.ExitCode);
        Assert.Contains("pending", before.Stdout);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("migration(s)", migrate.Stdout);
        Assert.DoesNotContain("pending", after.Stdout);
        Assert.Contains("applied", after.Stdout);
    }
}
