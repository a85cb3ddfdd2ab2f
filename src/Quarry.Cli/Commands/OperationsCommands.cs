namespace Quarry.Cli.Commands;

/// <summary><c>quarry operations sync|scan|list|get|abort</c>.</summary>
internal static class OperationsCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("operations", "Operations: syncs and scans that run on the server's workers.")
        {
            new SyncCommand(context),
            new ProfileCommand(context),
            new ScanCommand(context),
            List(context),
            Get(context),
            Abort(context),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var datastore = new Option<string?>("--datastore", "--datastore-id") { Description = "Only operations of this datastore (name or id)." };
        var result = new Option<string?>("--result") { Description = "Only operations with this result: running, success, failure, aborted." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List operations, newest first.") { format, datastore, result, limit };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var datastoreId = await DiscoveryCommands.DatastoreFilterAsync(client, parse.GetValue(datastore), ct);
            var query = ConnectionsCommands.Query(("datastore", datastoreId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("result", parse.GetValue(result)), ("size", Math.Clamp(parse.GetValue(limit), 1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return (await client.GetAsync<Page<OperationDto>>("/api/operations" + query, ct)).Items;
        }, (_, items) => Render(context, items));
        return command;
    }

    private static Command Get(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<int>("id") { Description = "The operation's id." };
        var command = new Command("get", "Show one operation.") { id, format };
        command.SetOutputAction(context, format, (parse, client, ct) => client.GetAsync<OperationDto>($"/api/operations/{parse.GetValue(id)}", ct),
            (_, operation) => Render(context, [operation]));
        return command;
    }

    private static Command Abort(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<int>("id") { Description = "The operation's id." };
        var command = new Command("abort", "Abort a queued or running operation; it ends as aborted and changes nothing.") { id, format };
        command.SetOutputAction(context, format, (parse, client, ct) => client.PutAsync<OperationDto>($"/api/operations/abort/{parse.GetValue(id)}", new { }, ct),
            (_, operation) => context.Out.MarkupLine(operation.Result == OperationResult.Aborted
                ? $"Operation {operation.Id} aborted."
                : $"Operation {operation.Id} was asked to stop; it ends as aborted shortly ('quarry operations get {operation.Id}')."));
        return command;
    }

    public static void Render(CliContext context, IReadOnlyList<OperationDto> items)
    {
        var table = CommandSupport.Table("ID", "Type", "Datastore", "Result", "Containers", "Started", "Ended", "Message");
        foreach (var o in items)
            table.AddRow(CommandSupport.Cell(o.Id), CommandSupport.Cell(o.Type), CommandSupport.Cell(o.DatastoreId), CommandSupport.Cell(Describe(o)),
                CommandSupport.Cell(o.Status.TotalContainers), CommandSupport.Cell(o.StartTime?.ToString("u")), CommandSupport.Cell(o.EndTime?.ToString("u")),
                CommandSupport.Cell(o.Details ?? o.Message));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} operation(s)");
    }

    /// <summary>The result, saying "queued" while no worker has claimed it yet.</summary>
    public static string Describe(OperationDto o) => o.State == OperationState.Queued ? "queued" : o.Result;
}
