namespace Quarry.Cli.Commands;

/// <summary><c>quarry auth init|status</c>.</summary>
internal static class AuthCommands
{
    private static readonly Option<string> UrlOption = new("--url") { Description = "The Quarry server, e.g. http://127.0.0.1:8080.", Required = true };
    private static readonly Option<string> TokenOption = new("--token") { Description = "An API token (the one 'quarry serve' printed, or one from 'quarry users token USER --name NAME').", Required = true };

    public static Command Create(CliContext context)
    {
        var auth = new Command("auth", "Configure and check how the CLI reaches the server.");

        var init = new Command("init", "Check a server URL and token, then save them to ~/.quarry/config.yaml (mode 0600).") { UrlOption, TokenOption };
        init.SetClientAction(context, async (parse, ct) =>
        {
            var settings = new ClientSettings { Url = parse.GetValue(UrlOption)!.TrimEnd('/'), Token = parse.GetValue(TokenOption)!.Trim() };
            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                context.Err.MarkupLine("[red]error:[/] --url must be an http:// or https:// address, e.g. http://127.0.0.1:8080");
                return ExitCodes.Usage;
            }
            using var client = new QuarryClient(settings.Url, settings.Token, context.HttpHandler);
            var me = await client.GetAsync<MeDto>("/api/me", ct);
            ClientSettings.WriteFile(context, settings);
            context.Out.MarkupLine($"Signed in to {settings.Url.EscapeMarkup()} as [bold]{me.Name.EscapeMarkup()}[/] ({me.Role}). Saved to {ClientSettings.ConfigPath(context).EscapeMarkup()}.");
            return ExitCodes.Success;
        });

        var format = CommandSupport.FormatOption();
        var status = new Command("status", "Show which server and user the CLI acts as.") { format };
        status.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var me = await client.GetAsync<MeDto>("/api/me", ct);
            var server = await client.GetAsync<StatusDto>("/api/status", ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                CommandSupport.WriteJson(context, new { url = client.BaseAddress.ToString().TrimEnd('/'), user = me, server });
                return ExitCodes.Success;
            }
            context.Out.MarkupLine($"Server: {client.BaseAddress.ToString().TrimEnd('/').EscapeMarkup()} (Quarry {server.Version.EscapeMarkup()}, store {server.Store})");
            context.Out.MarkupLine($"User:   {me.Name.EscapeMarkup()} ({me.Role})");
            context.Out.MarkupLine($"Teams:  {(me.Teams.Count == 0 ? "none" : string.Join(", ", me.Teams.Select(t => $"{t.Name} ({t.Permission})")).EscapeMarkup())}");
            return ExitCodes.Success;
        });

        auth.Subcommands.Add(init);
        auth.Subcommands.Add(status);
        return auth;
    }
}
