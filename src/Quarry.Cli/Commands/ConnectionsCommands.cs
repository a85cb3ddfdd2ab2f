namespace Quarry.Cli.Commands;

/// <summary><c>quarry connections list|get|create|update|delete|test|catalogs|schemas</c>.</summary>
internal static class ConnectionsCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("connections", "Connections: how Quarry reaches a database.")
        {
            List(context),
            Get(context),
            ConnectionWriteCommands.Create(context),
            ConnectionWriteCommands.Update(context),
            ConnectionWriteCommands.Delete(context),
            CheckCommands.TestConnection(context),
            DiscoveryCommands.Catalogs(context),
            DiscoveryCommands.Schemas(context),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var search = new Option<string?>("--search") { Description = "Only connections whose name contains this." };
        var type = new Option<string?>("--type") { Description = "Only connections of this type (GET /api/connector-types lists them)." };
        var command = new Command("list", "List connections.") { format, search, type };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var query = Query(("search", parse.GetValue(search)), ("type", parse.GetValue(type)));
            return await client.GetAllAsync<ConnectionDto>("/api/connections" + query, ct);
        }, (_, items) => Render(context, items));
        return command;
    }

    private static Command Get(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<string>("connection") { Description = "The connection's name or id." };
        var command = new Command("get", "Show one connection.") { id, format };
        command.SetOutputAction(context, format, (parse, client, ct) => DiscoveryCommands.ResolveConnectionAsync(client, parse.GetValue(id)!, ct),
            (_, connection) => Render(context, [connection]));
        return command;
    }

    private static void Render(CliContext context, IReadOnlyList<ConnectionDto> items)
    {
        var table = CommandSupport.Table("ID", "Name", "Type", "Host", "Port", "Database / path", "User", "Password");
        foreach (var c in items)
            table.AddRow(CommandSupport.Cell(c.Id), CommandSupport.Cell(c.Name), CommandSupport.Cell(c.Type), CommandSupport.Cell(c.Host),
                CommandSupport.Cell(c.Port), CommandSupport.Cell(c.Database ?? c.Path), CommandSupport.Cell(c.Username), c.PasswordSet ? "set" : "-");
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} connection(s)");
    }

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? "" : "?" + string.Join("&", set);
    }
}
