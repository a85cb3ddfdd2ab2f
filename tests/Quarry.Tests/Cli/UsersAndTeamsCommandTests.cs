using System.Globalization;

namespace Quarry.Tests.Cli;

/// <summary>
/// Users, tokens and teams are managed from the CLI as well as through the API. The onboarding test lists every team, so
/// it has a server of its own; the others share one and each works on users and teams of its own.
/// </summary>
public sealed class UsersAndTeamsCommandTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnAdminOnboardsAUserWithATokenAndATeamFromTheCli(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        using var cli = new CliRunner(server);

        var user = await cli.RunAsync("users", "create", "dana", "--role", "Member", "--email", "dana@example.com", "--format", "json");
        Assert.Equal(0, user.ExitCode);
        var userId = JsonDocument.Parse(user.Stdout).RootElement.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);
        var token = await cli.RunAsync("users", "token", userId, "--name", "ci", "--format", "json");
        Assert.Equal(0, token.ExitCode);
        var secret = JsonDocument.Parse(token.Stdout).RootElement.GetProperty("token").GetString()!;
        var team = await cli.RunAsync("teams", "create", "finance", "--format", "json");
        var teamId = JsonDocument.Parse(team.Stdout).RootElement.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);
        var member = await cli.RunAsync("teams", "add-member", teamId, "--user-id", userId, "--permission", "Editor");

        Assert.Equal(0, member.ExitCode);
        var me = await server.Client(secret).ReadAsync("/api/me");
        Assert.Equal("dana", me.GetProperty("name").GetString());
        Assert.Equal("Editor", me.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "finance").GetProperty("permission").GetString());
        var users = await cli.RunAsync("users", "list");
        Assert.Contains("finance (Editor)", users.Stdout);
        var teams = await cli.RunAsync("teams", "list", "--format", "json");
        Assert.Equal(["Public", "finance"], JsonDocument.Parse(teams.Stdout).RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        var removed = await cli.RunAsync("teams", "remove-member", teamId, "--user-id", userId);
        Assert.Equal(0, removed.ExitCode);
        Assert.Empty(removed.Stdout);
        Assert.Empty((await server.Client(secret).ReadAsync("/api/me")).GetProperty("teams").EnumerateArray());
    }

    [Fact]
    public async Task AUserListsAndDeletesItsOwnTokensAndADeletedTokenGets401()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var (userId, first) = await server.CreateUserAsync("ops", Quarry.Contracts.Access.Role.Member);
        var spare = (await server.Client(first).CreateAsync($"/api/users/{userId}/tokens", new { name = "spare" }));
        using var cli = new CliRunner(server, first);

        var list = await cli.RunAsync("tokens", "list", "--format", "json");
        var names = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        var deleted = await cli.RunAsync("tokens", "delete", spare.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("spare", names);
        Assert.DoesNotContain(first, list.Stdout);
        Assert.Equal(0, deleted.ExitCode);
        await server.Client(spare.GetProperty("token").GetString()!).ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
        Assert.Contains("1 token(s)", (await cli.RunAsync("tokens", "list")).Stdout);
    }

    [Fact]
    public async Task AMemberCannotCreateUsersAndGetsTheAuthExitCode4()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var (_, memberToken) = await server.CreateUserAsync("mel-403", Quarry.Contracts.Access.Role.Member);
        using var cli = new CliRunner(server, memberToken);

        var result = await cli.RunAsync("users", "create", "eve-403", "--role", "Admin", "--format", "json");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("403", result.Stderr);
        Assert.Empty(result.Stdout);
        await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/users?name=mel-403");
        Assert.Equal(0, (await server.Admin.ReadAsync("/api/users?name=eve-403")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ARoleOrPermissionGivenAsANumberIsAUsageErrorNamingTheChoices()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var team = await server.Admin.CreateIdAsync("/api/teams", new { name = "t-number" });
        var (user, _) = await server.CreateUserAsync("mel-number", Quarry.Contracts.Access.Role.Member);
        using var cli = new CliRunner(server);

        var role = await cli.RunAsync("users", "create", "eve-number", "--role", "99");
        var permission = await cli.RunAsync("teams", "add-member", team.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--user-id", user.ToString(System.Globalization.CultureInfo.InvariantCulture), "--permission", "2");

        Assert.NotEqual(0, role.ExitCode);
        Assert.Contains("--role: '99' is not allowed; use one of Member, Manager, Admin.", role.Stderr);
        Assert.NotEqual(0, permission.ExitCode);
        Assert.Contains("--permission: '2' is not allowed; use one of Viewer, Author, Editor.", permission.Stderr);
        Assert.Equal(0, (await server.Admin.ReadAsync("/api/users?name=eve-number")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await server.Admin.ReadAsync($"/api/teams/{team}")).GetProperty("members").GetArrayLength());
        Assert.Equal(0, (await cli.RunAsync("users", "create", "eve-number", "--role", "manager")).ExitCode);
    }

    [Fact]
    public async Task ATokenMadeFromTheCliMayExpire()
    {
        var server = await servers.For(StoreKind.Sqlite);
        await server.CreateUserAsync("dana-expiry", Role.Member);
        using var cli = new CliRunner(server);

        var made = await cli.RunAsync("users", "token", "dana-expiry", "--name", "ci", "--expires-in", "30d");
        Assert.Equal(0, made.ExitCode);
        var day = DateTime.UtcNow.AddDays(30);
        Assert.True(made.Stdout.Contains("expires " + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || made.Stdout.Contains("expires " + day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal), made.Stdout);

        var wrong = await cli.RunAsync("users", "token", "dana-expiry", "--name", "ci2", "--expires-in", "soon");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("expires_in", wrong.Output);
        Assert.Contains("30d", wrong.Output);
    }
}
