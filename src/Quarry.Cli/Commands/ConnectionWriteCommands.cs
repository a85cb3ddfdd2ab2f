namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry connections create|update|delete</c>: the API's connection writes, so a walkthrough or a script needs no
/// curl. The password comes from stdin or an environment variable, never from an argument.
/// </summary>
internal static class ConnectionWriteCommands
{
    public static Command Create(CliContext context)
    {
        var fields = new Fields(forCreate: true);
        var name = new Argument<string>("name") { Description = "The new connection's name (unique, case-insensitive)." };
        var command = new Command("create", "Create a connection. Its password: --password-stdin or --password-env VAR.") { name };
        fields.AddTo(command);
        command.SetClientAction(context, async (parse, ct) =>
        {
            var request = fields.Request(context, parse);
            request.Name = parse.GetValue(name);
            using var client = QuarryClient.FromSettings(context);
            var created = await client.PostAsync<ConnectionDto>("/api/connections", request, ct);
            return Written(context, parse, fields.Format, created, "Created");
        });
        return command;
    }

    public static Command Update(CliContext context)
    {
        var fields = new Fields(forCreate: false);
        var target = new Argument<string>("connection") { Description = "The connection's name or id." };
        var rename = new Option<string?>("--name") { Description = "A new name." };
        var command = new Command("update", "Change a connection; what you leave out keeps its value.") { target, rename };
        fields.AddTo(command);
        command.SetClientAction(context, async (parse, ct) =>
        {
            var request = fields.Request(context, parse);
            request.Name = parse.GetValue(rename);
            using var client = QuarryClient.FromSettings(context);
            var connection = await DiscoveryCommands.ResolveConnectionAsync(client, parse.GetValue(target)!, ct);
            var updated = await client.PutAsync<ConnectionDto>($"/api/connections/{connection.Id}", request, ct);
            return Written(context, parse, fields.Format, updated, "Updated");
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var target = new Argument<string>("connection") { Description = "The connection's name or id." };
        var yes = Prompts.YesOption();
        var command = new Command("delete", "Delete a connection (refused while datastores use it).") { target, yes };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var connection = await DiscoveryCommands.ResolveConnectionAsync(client, parse.GetValue(target)!, ct);
            if (!Prompts.Confirm(context, parse.GetValue(yes), $"Delete connection '{connection.Name}' (id {connection.Id})?")) return ExitCodes.Cancelled;
            await client.DeleteAsync($"/api/connections/{connection.Id}", ct);
            context.Out.MarkupLine($"Deleted connection [bold]{connection.Name.EscapeMarkup()}[/] (id {connection.Id}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Written(CliContext context, ParseResult parse, Option<OutputFormat> format, ConnectionDto connection, string verb)
    {
        if (parse.GetValue(format) == OutputFormat.Json) CommandSupport.WriteJson(context, connection);
        else context.Out.MarkupLine($"{verb} connection [bold]{connection.Name.EscapeMarkup()}[/] (id {connection.Id}, {connection.Type.EscapeMarkup()}"
            + $"{(connection.PasswordSet ? ", password set" : "")}).");
        return ExitCodes.Success;
    }

    /// <summary>The options create and update share; on update, an option left out keeps the stored value.</summary>
    private sealed class Fields(bool forCreate)
    {
        private readonly Option<string?> _type = new("--type") { Description = "The connector type; GET /api/connector-types lists them and the fields each one reads.", Required = forCreate };
        private readonly Option<string?> _host = new("--host") { Description = "The database server's host name (connectors that reach a server)." };
        private readonly Option<int?> _port = new("--port") { Description = "Its port (default: the connector's own)." };
        private readonly Option<string?> _username = new("--username") { Description = "The user Quarry connects as." };
        private readonly Option<string?> _database = new("--database") { Description = "The default database (connectors with a catalog level)." };
        private readonly Option<string?> _path = new("--path") { Description = "A file or folder as the server sees it (connectors that read files)." };
        private readonly Option<string[]> _parameters = new("--parameter") { Description = "A driver parameter as key=value, e.g. sslmode=require (repeat for more)." };
        private readonly Option<bool> _passwordStdin = Prompts.PasswordStdinOption();
        private readonly Option<string?> _passwordEnv = Prompts.PasswordEnvOption();
        public Option<OutputFormat> Format { get; } = CommandSupport.FormatOption();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _type, _host, _port, _username, _database, _path, _parameters, _passwordStdin, _passwordEnv, Format })
                command.Options.Add(option);
        }

        public ConnectionRequest Request(CliContext context, ParseResult parse) => new()
        {
            Type = parse.GetValue(_type),
            Host = parse.GetValue(_host),
            Port = parse.GetValue(_port),
            Username = parse.GetValue(_username),
            Database = parse.GetValue(_database),
            Path = parse.GetValue(_path),
            Password = Prompts.ReadPassword(context, parse, _passwordStdin, _passwordEnv),
            Parameters = Parameters(parse.GetValue(_parameters)),
        };

        private static Dictionary<string, JsonElement>? Parameters(string[]? values)
        {
            if (values is not { Length: > 0 }) return null;
            var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                var at = value.IndexOf('=', StringComparison.Ordinal);
                if (at < 1) throw new UsageException($"--parameter '{value}': write it as key=value, e.g. --parameter sslmode=require.");
                var key = value[..at].Trim();
                // A secret as an argument would sit in shell history; config import reads it from ${VAR} instead.
                if (ConnectionParameters.IsSecret(key))
                    throw new UsageException($"--parameter {key}: looks like a secret, which is never taken as an argument; set it with 'quarry config import' and ${{VAR}}.");
                parameters[key] = JsonSerializer.SerializeToElement(value[(at + 1)..]);
            }
            return parameters;
        }
    }
}
