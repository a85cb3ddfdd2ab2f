namespace Quarry.Tests.Cli;

/// <summary>Saving and checking the CLI's server and token. The tests share one server: each only reads from it, with a home folder of its own.</summary>
public sealed class AuthCommandTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Fact]
    public async Task AuthInitChecksTheTokenThenSavesItReadableOnlyByItsOwner()
    {
        var server = await servers.For(StoreKind.Sqlite);
        using var cli = new CliRunner();
        var config = Path.Combine(cli.Home, ".quarry", "config.yaml");

        var bad = await cli.RunAsync("auth", "init", "--url", server.Url, "--token", "qry_wrong");
        Assert.Equal(4, bad.ExitCode); // a refused token has its own exit code (was 1, shared with failed items)
        Assert.Contains("401", bad.Stderr);
        Assert.False(File.Exists(config));

        var badUrl = await cli.RunAsync("auth", "init", "--url", "ftp://x", "--token", server.AdminToken);
        Assert.Equal(2, badUrl.ExitCode);
        Assert.False(File.Exists(config));

        var good = await cli.RunAsync("auth", "init", "--url", server.Url + "/", "--token", server.AdminToken);
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("admin", good.Stdout);
        Assert.DoesNotContain(server.AdminToken, good.Output);
        Assert.True(File.Exists(config));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        Assert.Contains(server.Url, await File.ReadAllTextAsync(config));

        var status = await cli.RunAsync("auth", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains(server.Url, status.Stdout);
        Assert.Contains("admin (Admin)", status.Stdout);
        Assert.Contains("sqlite", status.Stdout);
        Assert.DoesNotContain(server.AdminToken, status.Output);
    }

    [Fact]
    public async Task EnvironmentVariablesBeatTheConfigFile()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var (_, memberToken) = await server.CreateUserAsync("ana", Role.Member);
        using var cli = new CliRunner();
        Assert.Equal(0, (await cli.RunAsync("auth", "init", "--url", server.Url, "--token", server.AdminToken)).ExitCode);

        cli.Set("QUARRY_TOKEN", memberToken);
        var status = await cli.RunAsync("auth", "status", "--format", "json");
        Assert.Equal(0, status.ExitCode);
        var json = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal("ana", json.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("sqlite", json.GetProperty("server").GetProperty("store").GetString());

        cli.Set("QUARRY_URL", "http://127.0.0.1:1");
        var unreachable = await cli.RunAsync("auth", "status");
        Assert.Equal(5, unreachable.ExitCode); // an unreachable server has its own exit code (was 1)
        Assert.Contains("127.0.0.1:1", unreachable.Stderr);
    }

    [Fact]
    public async Task WithoutAServerConfiguredCommandsSayHowToConfigureOne()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("connections", "list");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("quarry auth init", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task AnEmptyTokenVariableOrAUrlWithoutSchemeIsAClearErrorNotAFallbackOrACrash()
    {
        var server = await servers.For(StoreKind.Sqlite);
        using var cli = new CliRunner();
        Assert.Equal(0, (await cli.RunAsync("auth", "init", "--url", server.Url, "--token", server.AdminToken)).ExitCode);

        // A CI secret that didn't arrive is an empty variable: it must not quietly become the admin token saved here.
        var empty = await cli.Set("QUARRY_TOKEN", "").RunAsync("connections", "list");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("QUARRY_TOKEN is set but empty", empty.Stderr);

        var noScheme = await cli.Set("QUARRY_TOKEN", null).Set("QUARRY_URL", new Uri(server.Url).Authority).RunAsync("connections", "list");
        Assert.NotEqual(0, noScheme.ExitCode);
        Assert.Contains("is not an http:// or https:// URL", noScheme.Stderr);
        Assert.DoesNotContain("   at ", noScheme.Output);
    }
}
