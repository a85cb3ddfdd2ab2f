namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry users list|create|token</c>: users and tokens are managed from the CLI as well as the API, so onboarding a
/// teammate needs no hand-written HTTP call.
/// A new token is printed once, as the API returns it once.
/// </summary>
internal static class UsersCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("users", "Users and their tokens (Admin; a user may also create its own tokens).")
        {
            CommandSupport.ListCommand<UserDto>(context, "List users with their role and teams.", "/api/users", items => Render(context, items)),
            CreateUser(context),
            Token(context),
        };
    }

    private static Command CreateUser(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var name = new Argument<string>("name") { Description = "The user's name (unique, case-insensitive)." };
        var role = CommandSupport.NamedOption<Role>("--role", "Admin, Manager or Member.");
        var email = new Option<string?>("--email") { Description = "The user's email address." };
        var command = new Command("create", "Create a user; then give it a token with 'quarry users token <name>'.") { name, role, email, format };
        command.SetOutputAction(context, format,
            (parse, client, ct) => client.PostAsync<UserDto>("/api/users",
                new UserRequest { Name = parse.GetValue(name), Role = parse.GetValue(role), Email = parse.GetValue(email) }, ct),
            (_, user) => context.Out.MarkupLine($"Created user [bold]{user.Name.EscapeMarkup()}[/] (id {user.Id}, {user.Role})."));
        return command;
    }

    private static Command Token(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var user = new Argument<string>("user") { Description = "The user the token acts as: name or id." };
        var name = new Option<string>("--name") { Description = "What the token is for (e.g. ci).", Required = true };
        var expiresIn = new Option<string?>("--expires-in") { Description = "How long the token works, e.g. 30d, 12h, 90m or 2w; left out, until it is deleted." };
        var command = new Command("token", "Create a token for a user; it is shown this once.") { user, name, expiresIn, format };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var userId = await ResolveUserIdAsync(client, parse.GetValue(user)!, ct);
            return await client.PostAsync<NewTokenDto>($"/api/users/{userId}/tokens", new TokenRequest { Name = parse.GetValue(name), ExpiresIn = parse.GetValue(expiresIn) }, ct);
        }, (_, token) =>
        {
            var until = token.Expires is DateTime expires ? $", expires {expires:u}" : "";
            context.Out.MarkupLine($"Token [bold]{token.Name.EscapeMarkup()}[/] (id {token.Id}) for user {token.UserId}{until}, shown only this once:");
            context.Out.WriteLine("    " + token.Token);
        });
        return command;
    }

    /// <summary>A user by id, or by name: yourself without listing users (a Member may create its own tokens), others as an Admin.</summary>
    private static async Task<int> ResolveUserIdAsync(QuarryClient client, string nameOrId, CancellationToken ct)
    {
        if (int.TryParse(nameOrId, out var id)) return id;
        var me = await client.GetAsync<MeDto>("/api/me", ct);
        if (string.Equals(me.Name, nameOrId.Trim(), StringComparison.OrdinalIgnoreCase)) return me.Id;
        var page = await client.GetAsync<Page<UserDto>>($"/api/users?name={Uri.EscapeDataString(nameOrId)}", ct);
        return page.Items.FirstOrDefault()?.Id
            ?? throw new ApiException(System.Net.HttpStatusCode.NotFound, "Not found", $"No user is named '{nameOrId}'. 'quarry users list' shows them.");
    }

    private static void Render(CliContext context, IReadOnlyList<UserDto> items)
    {
        var table = CommandSupport.Table("ID", "Name", "Email", "Role", "Teams");
        foreach (var u in items)
            table.AddRow(CommandSupport.Cell(u.Id), CommandSupport.Cell(u.Name), CommandSupport.Cell(u.Email), CommandSupport.Cell(u.Role),
                CommandSupport.Cell(string.Join(", ", u.Teams.Select(t => $"{t.Name} ({t.Permission})"))));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} user(s)");
    }
}

/// <summary><c>quarry teams list|create|add-member|remove-member</c> (creating and membership need Manager).</summary>
internal static class TeamsCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("teams", "Teams: which datastores a member sees, and with what permission.")
        {
            CommandSupport.ListCommand<TeamDto>(context, "List teams with their members.", "/api/teams", items => Render(context, items)),
            CreateTeam(context),
            AddMember(context),
            RemoveMember(context),
        };
    }

    private static Command CreateTeam(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var name = new Argument<string>("name") { Description = "The team's name (unique, case-insensitive)." };
        var command = new Command("create", "Create a team.") { name, format };
        command.SetOutputAction(context, format, (parse, client, ct) => client.PostAsync<TeamDto>("/api/teams", new TeamRequest { Name = parse.GetValue(name) }, ct),
            (_, team) => context.Out.WriteLine($"Created team {team.Name} (id {team.Id})."));
        return command;
    }

    private static Command AddMember(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var team = new Argument<int>("team-id") { Description = "The team." };
        var user = new Option<int>("--user-id") { Description = "The user to add (or whose permission to change).", Required = true };
        var permission = CommandSupport.NamedOption<TeamPermission>("--permission", "Viewer, Author or Editor.");
        var command = new Command("add-member", "Add a user to a team, or change its permission there.") { team, user, permission, format };
        command.SetOutputAction(context, format,
            (parse, client, ct) => client.PostAsync<TeamDto>($"/api/teams/{parse.GetValue(team)}/members",
                new TeamMemberRequest { UserId = parse.GetValue(user), Permission = parse.GetValue(permission) }, ct),
            (parse, updated) => context.Out.WriteLine($"User {parse.GetValue(user)} is {parse.GetValue(permission)} in team {updated.Name}."));
        return command;
    }

    private static Command RemoveMember(CliContext context)
    {
        var team = new Argument<int>("team-id") { Description = "The team." };
        var user = new Option<int>("--user-id") { Description = "The user to remove.", Required = true };
        var command = new Command("remove-member", "Remove a user from a team.") { team, user };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            await client.DeleteAsync($"/api/teams/{parse.GetValue(team)}/members/{parse.GetValue(user)}", ct);
            context.Err.WriteLine($"Removed user {parse.GetValue(user)} from team {parse.GetValue(team)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(CliContext context, IReadOnlyList<TeamDto> items)
    {
        var table = CommandSupport.Table("ID", "Name", "Members");
        foreach (var t in items)
            table.AddRow(CommandSupport.Cell(t.Id), CommandSupport.Cell(t.Name + (t.Builtin ? " (built-in)" : "")),
                CommandSupport.Cell(string.Join(", ", t.Members.Select(m => $"{m.Name} ({m.Permission})"))));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} team(s)");
    }
}

/// <summary><c>quarry tokens list|delete</c>: the caller's own tokens (names and dates; a token's value is never shown again).</summary>
internal static class TokensCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("tokens", "Your own API tokens: list them, or delete one you no longer use.")
        {
            CommandSupport.ListCommand<TokenDto>(context, "List your tokens and when each was last used.", "/api/tokens", items => Render(context, items)),
            Delete(context),
        };
    }

    private static Command Delete(CliContext context)
    {
        var id = new Argument<int>("id") { Description = "The token's id (from 'quarry tokens list')." };
        var command = new Command("delete", "Delete one of your tokens; requests with it get 401 from then on.") { id };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            await client.DeleteAsync($"/api/tokens/{parse.GetValue(id)}", ct);
            context.Err.WriteLine($"Deleted token {parse.GetValue(id)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(CliContext context, IReadOnlyList<TokenDto> items)
    {
        var table = CommandSupport.Table("ID", "Name", "Created", "Last used", "Expires");
        foreach (var t in items)
            table.AddRow(CommandSupport.Cell(t.Id), CommandSupport.Cell(t.Name), CommandSupport.Cell(t.Created.ToString("u")),
                CommandSupport.Cell(t.LastUsed?.ToString("u")), CommandSupport.Cell(t.Expires?.ToString("u")));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} token(s)");
    }
}
