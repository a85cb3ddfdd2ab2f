namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry operations sync --datastore 42,43,warehouse-prod [--wait] [--parallel N] [--prune]</c>: queues a sync per datastore;
/// with <c>--wait</c>, keeps at most N of them in flight, shows their progress and ends with a summary (exit 1 if any failed).
/// </summary>
internal sealed class SyncCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<string[]> _datastoreIds = OperationOptions.Datastores();
    private readonly Option<bool> _wait = OperationOptions.Wait("syncs");
    private readonly Option<int> _parallel = OperationOptions.Parallel("synced");
    private readonly Option<bool> _prune = new("--prune") { Description = "Delete containers and fields that are gone from the database instead of marking them removed." };
    private readonly Option<OutputFormat> _format = CommandSupport.FormatOption();

    public SyncCommand(CliContext context) : base("sync", "Sync datastores: record their containers and fields from the database.")
    {
        _context = context;
        foreach (var option in new Option[] { _datastoreIds, _wait, _parallel, _prune, _format }) Options.Add(option);
        this.SetClientAction(context, RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var targets = OperationOptions.Split(parse.GetValue(_datastoreIds));
        if (OperationOptions.CommonError(targets, parse.GetValue(_parallel)) is { } error) return OperationOptions.UsageError(_context, error);
        var json = parse.GetValue(_format) == OutputFormat.Json;
        var prune = parse.GetValue(_prune);
        using var client = QuarryClient.FromSettings(_context);

        var (ids, names) = await OperationOptions.ResolveAsync(client, targets, ct);

        object Request(int? id) => id is null ? new { type = "sync", datastore_ids = ids, prune } : new { type = "sync", datastore_id = id, prune };
        var results = await SyncRun.QueueOrRunAsync(_context, client, "sync", ids, names, Request, parse.GetValue(_wait), parse.GetValue(_parallel), json, ct);
        if (results is null) return ExitCodes.Success;
        WriteSummary(results, names, json);
        return results.All(r => r.Result == OperationResult.Success) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private void WriteSummary(IReadOnlyList<OperationDto> results, IReadOnlyDictionary<int, string> names, bool json)
    {
        if (json)
        {
            CommandSupport.WriteJson(_context, results);
            return;
        }
        var table = CommandSupport.Table("Datastore", "Operation", "Result", "Containers", "Duration", "Message");
        table.Title = new TableTitle("Sync Summary");
        foreach (var o in results)
        {
            var duration = o.StartTime is { } start && o.EndTime is { } end ? $"{(end - start).TotalSeconds:0.0}s" : "";
            table.AddRow([.. OperationOptions.SummaryCells(o, names), CommandSupport.Cell(o.Status.TotalContainers), duration, CommandSupport.Cell(o.Details ?? o.Message)]);
        }
        _context.Out.Write(table);
        var failed = results.Count(r => r.Result != OperationResult.Success);
        _context.Out.MarkupLine(failed == 0 ? $"{results.Count} datastore(s) synced." : $"[red]{failed} of {results.Count} sync(s) did not succeed.[/]");
    }
}
