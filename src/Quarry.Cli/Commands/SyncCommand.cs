namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry operations sync --datastore 42,43,warehouse-prod [--wait] [--parallel N] [--prune]</c>: queues a sync per datastore;
/// with <c>--wait</c>, keeps at most N of them in flight, shows their progress and ends with a summary (exit 1 if any failed).
/// </summary>
internal sealed class SyncCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<string[]> _datastoreIds = DatastoresOption();
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait for the syncs to finish, showing progress and a summary." };
    private readonly Option<int> _parallel = new("--parallel")
    {
        Description = "With --wait: how many of the datastores are synced at once (the server's workers bound it too).",
        DefaultValueFactory = _ => 4,
    };
    private readonly Option<bool> _prune = new("--prune") { Description = "Delete containers and fields that are gone from the database instead of marking them removed." };
    private readonly Option<OutputFormat> _format = CommandSupport.FormatOption();

    public SyncCommand(CliContext context) : base("sync", "Sync datastores: record their containers and fields from the database.")
    {
        _context = context;
        Options.Add(_datastoreIds);
        Options.Add(_wait);
        Options.Add(_parallel);
        Options.Add(_prune);
        Options.Add(_format);
        this.SetClientAction(context, RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var targets = (parse.GetValue(_datastoreIds) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        var error = targets.Count == 0 ? "--datastore: give at least one datastore name or id, e.g. --datastore warehouse-prod or --datastore 42,43,44." : null;
        if (error is not null || parse.GetValue(_parallel) < 1)
        {
            _context.Err.MarkupLine($"[red]error:[/] {(error ?? "--parallel must be 1 or more.").EscapeMarkup()}");
            return ExitCodes.Usage;
        }
        var json = parse.GetValue(_format) == OutputFormat.Json;
        var prune = parse.GetValue(_prune);
        using var client = QuarryClient.FromSettings(_context);

        var (ids, names) = await ResolveAsync(client, targets, ct);

        object Request(int? id) => id is null ? new { type = "sync", datastore_ids = ids, prune } : new { type = "sync", datastore_id = id, prune };
        var results = await SyncRun.QueueOrRunAsync(_context, client, "sync", ids, names, Request, parse.GetValue(_wait), parse.GetValue(_parallel), json, ct);
        if (results is null) return ExitCodes.Success;
        WriteSummary(results, names, json);
        return results.All(r => r.Result == OperationResult.Success) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary><c>--datastore</c> (also <c>--datastore-id</c>, <c>--datastore-ids</c>): the datastores an operation command runs on.</summary>
    internal static Option<string[]> DatastoresOption() => new("--datastore", "--datastore-id", "--datastore-ids")
    {
        Description = "Datastore names or ids, comma-separated (42,43,warehouse-prod) or the option repeated.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>
    /// The datastores named by <c>--datastore</c> (names or ids, each once, in order), all resolved before anything is
    /// queued, so a wrong name or id stops the command with nothing started.
    /// </summary>
    internal static async Task<(List<int> Ids, Dictionary<int, string> Names)> ResolveAsync(QuarryClient client, IEnumerable<string> targets, CancellationToken ct)
    {
        var ids = new List<int>();
        var names = new Dictionary<int, string>();
        foreach (var target in targets)
        {
            var id = await DiscoveryCommands.ResolveDatastoreIdAsync(client, target, ct, "--datastore");
            if (names.ContainsKey(id)) continue;
            ids.Add(id);
            names[id] = (await client.GetAsync<DatastoreDto>($"/api/datastores/{id}", ct)).Name;
        }
        return (ids, names);
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
            var result = o.Result == OperationResult.Success ? "[green]success[/]" : $"[red]{o.Result.EscapeMarkup()}[/]";
            table.AddRow(CommandSupport.Cell($"{o.DatastoreId} {names[o.DatastoreId]}"), CommandSupport.Cell(o.Id), result,
                CommandSupport.Cell(o.Status.TotalContainers), duration, CommandSupport.Cell(o.Details ?? o.Message));
        }
        _context.Out.Write(table);
        var failed = results.Count(r => r.Result != OperationResult.Success);
        _context.Out.MarkupLine(failed == 0 ? $"{results.Count} datastore(s) synced." : $"[red]{failed} of {results.Count} sync(s) did not succeed.[/]");
    }
}
