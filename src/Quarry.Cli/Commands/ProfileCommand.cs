namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry operations profile --datastore-id 1,2 [--container orders] [--sample-rows M] [--no-infer] [--wait]</c>: queues a
/// profile per datastore; with <c>--wait</c>, shows their progress and ends with a summary (exit 1 if any did not succeed).
/// </summary>
internal sealed class ProfileCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<string[]> _datastoreIds = OperationOptions.Datastores();
    private readonly Option<string[]> _containers = OperationOptions.Containers();
    private readonly Option<long?> _sampleRows = new("--sample-rows")
    {
        Description = "Read at most this many rows of each container (a sample); every row when left out.",
    };
    private readonly Option<bool> _noInfer = new("--no-infer") { Description = "Only record field profiles; propose no checks." };
    private readonly Option<bool> _active = new("--infer-active") { Description = "Create inferred checks as Active instead of Draft (they are scanned at once)." };
    private readonly Option<bool> _wait = OperationOptions.Wait("profiles");
    private readonly Option<int> _parallel = OperationOptions.Parallel("profiled");
    private readonly Option<OutputFormat> _format = CommandSupport.FormatOption();

    public ProfileCommand(CliContext context) : base("profile", "Profile datastores: record each field's statistics and propose checks that hold on the data.")
    {
        _context = context;
        foreach (var option in new Option[] { _datastoreIds, _containers, _sampleRows, _noInfer, _active, _wait, _parallel, _format }) Options.Add(option);
        this.SetClientAction(context, RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var targets = OperationOptions.Split(parse.GetValue(_datastoreIds));
        var containers = OperationOptions.Split(parse.GetValue(_containers));
        var sample = parse.GetValue(_sampleRows);
        var error = OperationOptions.CommonError(targets, parse.GetValue(_parallel))
            ?? (sample < 100 ? "--sample-rows must be at least 100; leave it out to read every row."
            : parse.GetValue(_noInfer) && parse.GetValue(_active) ? "--infer-active proposes checks and --no-infer proposes none: give one of them."
            : null);
        if (error is not null) return OperationOptions.UsageError(_context, error);
        var json = parse.GetValue(_format) == OutputFormat.Json;
        using var client = QuarryClient.FromSettings(_context);
        var (ids, names) = await OperationOptions.ResolveAsync(client, targets, ct);
        object Request(int? id) => new
        {
            type = "profile", datastore_id = id, datastore_ids = id is null ? ids : null,
            container_names = containers.Count == 0 ? null : containers, max_records_analyzed_per_partition = sample,
            infer_constraints = !parse.GetValue(_noInfer), infer_as_draft = !parse.GetValue(_active),
        };

        var results = await SyncRun.QueueOrRunAsync(_context, client, "profile", ids, names, Request, parse.GetValue(_wait), parse.GetValue(_parallel), json, ct);
        if (results is null) return ExitCodes.Success;
        if (json) CommandSupport.WriteJson(_context, results);
        else WriteSummary(results, names);
        return results.All(r => r.Result == OperationResult.Success) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private void WriteSummary(IReadOnlyList<OperationDto> results, IReadOnlyDictionary<int, string> names)
    {
        var table = CommandSupport.Table("Datastore", "Operation", "Result", "Containers", "Fields", "Drafts", "Message");
        table.Title = new TableTitle("Profile Summary");
        foreach (var o in results)
        {
            table.AddRow([.. OperationOptions.SummaryCells(o, names), CommandSupport.Cell(Count(o, "containers")), CommandSupport.Cell(Count(o, "fields")),
                CommandSupport.Cell(Count(o, "checks_created")), CommandSupport.Cell(o.Details ?? o.Message)]);
        }
        _context.Out.Write(table);
        var failed = results.Count(r => r.Result != OperationResult.Success);
        _context.Out.MarkupLine(failed == 0
            ? $"{results.Count} datastore(s) profiled. Review the proposed checks with 'quarry checks list --status Draft' and activate them with 'quarry checks activate ID…'."
            : $"[red]{failed} of {results.Count} profile(s) did not succeed.[/]");
    }

    private static int? Count(OperationDto o, string name) => OperationOptions.SummaryCount(o, name);
}
