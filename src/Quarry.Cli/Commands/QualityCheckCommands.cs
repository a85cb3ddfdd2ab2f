namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry checks list [--datastore NAME|ID] [--status Draft]</c>, <c>quarry checks activate ID…</c> and
/// <c>quarry checks archive ID…</c>: review the checks a profile proposed, then put them to work or set them aside.
/// </summary>
internal static class QualityCheckCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("checks", "Quality checks: list them, activate the drafts a profile proposed, archive the ones you don't want.")
        {
            List(context),
            SetStatus(context, "activate", CheckStatus.Active, "Activate checks (a profile's drafts): scans evaluate them from then on."),
            SetStatus(context, "archive", CheckStatus.Archived, "Archive checks: scans skip them and later profiles do not propose them again."),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var datastore = new Option<string?>("--datastore", "--datastore-id") { Description = "Only checks of this datastore (name or id)." };
        var status = new Option<string?>("--status") { Description = "Only checks with this status: Active, Draft or Archived." };
        var command = new Command("list", "List quality checks.") { datastore, status, format };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var datastoreId = (await DiscoveryCommands.DatastoreFilterAsync(client, parse.GetValue(datastore), ct))?.ToString(CultureInfo.InvariantCulture);
            return await client.GetAllAsync<QualityCheckDto>("/api/quality-checks" + ConnectionsCommands.Query(("datastore", datastoreId), ("status", parse.GetValue(status))), ct);
        }, (_, items) => Render(context, items));
        return command;
    }

    private static Command SetStatus(CliContext context, string name, string status, string description)
    {
        var format = CommandSupport.FormatOption();
        var ids = new Argument<int[]>("id") { Description = "The checks' ids.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { ids, format };
        // One request for all of them: either every check changes or, when one is wrong, none does.
        command.SetOutputAction(context, format,
            (parse, client, ct) => client.PatchAsync<List<QualityCheckDto>>("/api/quality-checks", parse.GetValue(ids)!.Distinct().Select(id => new { id, status }).ToList(), ct),
            (_, changed) => context.Out.MarkupLine($"{changed.Count} check(s) {status.ToLowerInvariant()}: {string.Join(", ", changed.Select(c => c.Id))}."));
        return command;
    }

    private static void Render(CliContext context, IReadOnlyList<QualityCheckDto> items)
    {
        var table = CommandSupport.Table("ID", "Container", "Rule", "Fields", "Properties", "Status", "Inferred");
        foreach (var c in items)
            table.AddRow(CommandSupport.Cell(c.Id), CommandSupport.Cell(c.Container.Name), CommandSupport.Cell(c.Rule), CommandSupport.Cell(string.Join(", ", c.FieldNames)),
                CommandSupport.Cell(c.Properties.GetRawText()), CommandSupport.Cell(c.Status), c.Inferred ? "yes" : "");
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} check(s)");
    }
}
