namespace Quarry.Cli.Commands;

/// <summary><c>quarry containers list --datastore NAME|ID</c> and <c>quarry containers profile ID|NAME</c>.</summary>
internal static class ContainersCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("containers", "Containers (tables, views) that syncs recorded.")
        {
            List(context),
            ContainerProfileCommand.Create(context),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var datastore = new Option<string>("--datastore", "--datastore-id") { Description = "The datastore whose containers to list (name or id).", Required = true };
        var search = new Option<string?>("--search") { Description = "Only containers whose name contains this." };
        var type = new Option<string?>("--type") { Description = "Only containers of this type (table, view, materialized_view, partitioned_table)." };
        var removed = new Option<bool>("--include-removed") { Description = "Also list containers that are gone from the database." };
        var command = new Command("list", "List a datastore's containers.") { datastore, format, search, type, removed };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var query = ConnectionsCommands.Query(("datastore", (await DiscoveryCommands.ResolveDatastoreIdAsync(client, parse.GetValue(datastore)!, ct)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("search", parse.GetValue(search)), ("type", parse.GetValue(type)), ("include_removed", parse.GetValue(removed) ? "true" : null));
            return await client.GetAllAsync<ContainerDto>("/api/containers" + query, ct);
        }, (_, items) =>
        {
            var table = CommandSupport.Table("ID", "Name", "Type", "Fields", "Removed", "Updated");
            foreach (var c in items)
                table.AddRow(CommandSupport.Cell(c.Id), CommandSupport.Cell(c.Name), CommandSupport.Cell(c.ContainerType), CommandSupport.Cell(c.FieldCount),
                    c.Removed ? "yes" : "", CommandSupport.Cell(c.UpdatedAt.ToString("u")));
            context.Out.Write(table);
            context.Out.WriteLine($"{items.Count} container(s)");
        });
        return command;
    }
}
