namespace Quarry.Cli.Commands;

/// <summary><c>quarry datastores list|get|create|update|delete|verify|create-multi</c>.</summary>
internal static class DatastoresCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("datastores", "Datastores: one catalog/schema inside a connection.")
        {
            List(context),
            Get(context),
            DatastoreWriteCommands.Create(context),
            DatastoreWriteCommands.Update(context),
            DatastoreWriteCommands.Delete(context),
            CheckCommands.VerifyDatastore(context),
            new CreateMultiCommand(context),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var search = new Option<string?>("--search") { Description = "Only datastores whose name contains this." };
        var tag = new Option<string?>("--tag") { Description = "Only datastores with this tag." };
        var type = new Option<string?>("--type") { Description = "Only datastores whose connection has this type." };
        var name = new Option<string?>("--name") { Description = "Only the datastore with this exact name (case-insensitive)." };
        var enrichmentOnly = new Option<bool?>("--enrichment-only") { Description = "Only enrichment datastores (--enrichment-only false: only the others)." };
        var connection = new Option<string?>("--connection", "--connection-id") { Description = "Only datastores of this connection (name or id)." };
        var team = new Option<string?>("--team") { Description = "Only datastores in this team." };
        var command = new Command("list", "List the datastores you may see.") { format, search, tag, type, name, enrichmentOnly, connection, team };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var query = ConnectionsCommands.Query(("search", parse.GetValue(search)), ("tag", parse.GetValue(tag)), ("type", parse.GetValue(type)),
                ("name", parse.GetValue(name)), ("enrichment_only", parse.GetValue(enrichmentOnly) is bool only ? (only ? "true" : "false") : null),
                ("connection_id", await ConnectionIdAsync(client, parse.GetValue(connection), ct)), ("team", parse.GetValue(team)));
            return await client.GetAllAsync<DatastoreDto>("/api/datastores" + query, ct);
        }, (_, items) => Render(context, items));
        return command;
    }

    /// <summary>A filter by id is passed as given (an unknown id lists nothing); a name is looked up.</summary>
    private static async Task<string?> ConnectionIdAsync(QuarryClient client, string? nameOrId, CancellationToken ct) =>
        nameOrId is null || int.TryParse(nameOrId, out _) ? nameOrId
            : (await DiscoveryCommands.ResolveConnectionAsync(client, nameOrId, ct)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Command Get(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<string>("datastore") { Description = "The datastore's name or id." };
        var command = new Command("get", "Show one datastore.") { id, format };
        command.SetOutputAction(context, format,
            async (parse, client, ct) => await client.GetAsync<DatastoreDto>($"/api/datastores/{await DiscoveryCommands.ResolveDatastoreIdAsync(client, parse.GetValue(id)!, ct)}", ct),
            (_, datastore) => Render(context, [datastore]));
        return command;
    }

    private static void Render(CliContext context, IReadOnlyList<DatastoreDto> items)
    {
        var table = CommandSupport.Table("ID", "Name", "Connection", "Database", "Schema", "Teams", "Tags", "Last sync", "Containers");
        foreach (var d in items)
            table.AddRow(CommandSupport.Cell(d.Id), CommandSupport.Cell(d.Name + (d.EnrichmentOnly ? " (enrichment)" : "")), CommandSupport.Cell(d.Connection.Name),
                CommandSupport.Cell(d.Database), CommandSupport.Cell(d.Schema), CommandSupport.Cell(string.Join(", ", d.Teams.Select(t => t.Name))),
                CommandSupport.Cell(string.Join(", ", d.Tags.Select(t => t.Name))), CommandSupport.Cell((d.LatestSync?.Result ?? "never") + (d.CatalogStale ? ", needs sync" : "")),
                CommandSupport.Cell(d.ContainerCount));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} datastore(s)");
    }
}
