using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Quarry.Tests.Cli;

/// <summary><c>quarry serve</c> run in-process, stopped the way Ctrl-C stops it: by cancelling the command.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task FirstStartPrintsTheAdminTokenOnceAndCtrlCExitsCleanly()
    {
        using var cli = new CliRunner();
        var data = Path.Combine(cli.WorkingDirectory, "quarry-data");

        var first = await ServeUntilReadyAsync(cli, data, status => Assert.Equal("sqlite", status.GetProperty("store").GetString()));
        Assert.Equal(0, first.Result.ExitCode);
        var token = AdminToken().Match(first.Result.Stdout);
        Assert.True(token.Success, first.Result.Stdout);
        Assert.Contains($"listening on http://127.0.0.1:{first.Port}", first.Result.Stdout);
        Assert.Contains($"quarry auth init --url http://127.0.0.1:{first.Port} --token <the token above>", first.Result.Stdout);
        Assert.True(File.Exists(Path.Combine(data, "quarry.db")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "secret.key")));

        var second = await ServeUntilReadyAsync(cli, data, async (status, client) =>
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token.Groups[1].Value);
            Assert.Equal("admin", (await client.ReadAsync("/api/me")).GetProperty("name").GetString());
        });
        Assert.Equal(0, second.Result.ExitCode);
        Assert.DoesNotContain("qry_", second.Result.Stdout);
        Assert.DoesNotContain("token", second.Result.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ServeOnAPortInUseSaysSoInOneLineWithoutCreatingTheStoreOrPrintingAToken()
    {
        using var cli = new CliRunner();
        var data = Path.Combine(cli.WorkingDirectory, "quarry-data");
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var run = await cli.RunAsync("serve", "--port", port, "--data", data);

            Assert.Equal(1, run.ExitCode);
            Assert.Equal("", run.Stdout);
            var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Port {port} on 127.0.0.1 is already in use", line);
            Assert.DoesNotContain("qry_", run.Output);
            Assert.False(Directory.Exists(data));
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task QuarryDatabaseSelectsPostgreSqlAndQuarryAdminTokenPresetsTheAdmin()
    {
        var database = await TestPostgres.CreateDatabaseAsync("quarry_serve");
        try
        {
            using var cli = new CliRunner();
            cli.Set("QUARRY_DATABASE", database).Set("QUARRY_ADMIN_TOKEN", "qry_preset-for-automation");
            var run = await ServeUntilReadyAsync(cli, Path.Combine(cli.WorkingDirectory, "data"), async (status, client) =>
            {
                Assert.Equal("postgresql", status.GetProperty("store").GetString());
                client.DefaultRequestHeaders.Authorization = new("Bearer", "qry_preset-for-automation");
                Assert.Equal("Admin", (await client.ReadAsync("/api/me")).GetProperty("role").GetString());
            });
            Assert.Equal(0, run.Result.ExitCode);
            Assert.DoesNotContain("qry_preset-for-automation", run.Result.Output);
            Assert.False(File.Exists(Path.Combine(cli.WorkingDirectory, "data", "quarry.db")));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task DbStatusShowsPendingMigrationsAndDbMigrateAppliesThemOnce()
    {
        using var cli = new CliRunner();
        var data = Path.Combine(cli.WorkingDirectory, "store");

        var refused = await cli.RunAsync("serve", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data, "--no-migrate");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("quarry db migrate", refused.Stderr);

        var before = await cli.RunAsync("db", "status", "--data", data);
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("0001_initial", before.Stdout);
        Assert.Contains("pending", before.Stdout);

        var migrate = await cli.RunAsync("db", "migrate", "--data", data);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("Applied 0001_initial", migrate.Stdout);
        Assert.DoesNotContain("pending", (await cli.RunAsync("db", "status", "--data", data)).Stdout);
        Assert.Contains("up to date", (await cli.RunAsync("db", "migrate", "--data", data)).Stdout);

        var database = await TestPostgres.CreateDatabaseAsync("quarry_db_cmd");
        try
        {
            Assert.Contains("pending", (await cli.RunAsync("db", "status", "--database", database)).Stdout);
            Assert.Contains("Applied 0001_initial", (await cli.RunAsync("db", "migrate", "--database", database)).Stdout);
            Assert.Contains("applied", (await cli.RunAsync("db", "status", "--database", database)).Stdout);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    private static Task<(CliResult Result, int Port)> ServeUntilReadyAsync(CliRunner cli, string data, Action<JsonElement> check) =>
        ServeUntilReadyAsync(cli, data, (status, _) => { check(status); return Task.CompletedTask; });

    /// <summary>Starts <c>quarry serve</c>, waits until GET /api/status answers, runs <paramref name="check"/>, then cancels it.</summary>
    private static async Task<(CliResult Result, int Port)> ServeUntilReadyAsync(CliRunner cli, string data, Func<JsonElement, HttpClient, Task> check)
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var serve = cli.RunAsync(stop.Token, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonElement? status = null;
            while (status is null)
            {
                if (serve.IsCompleted) Assert.Fail($"serve ended early: {(await serve).Output}");
                try
                {
                    using var response = await client.GetAsync("/api/status");
                    if (response.StatusCode == HttpStatusCode.OK) status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
            await check(status.Value, client);
        }
        finally
        {
            await stop.CancelAsync();
        }
        return (await serve, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AdminToken();
}
