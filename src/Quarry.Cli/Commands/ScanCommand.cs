namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry operations scan --datastore-id 1,2 [--container orders,customers] [--wait] [--fail-on-anomalies]</c>: queues a
/// scan per datastore; with <c>--wait</c>, shows their progress and ends with a summary. Exit 1 when a scan did not
/// succeed; with <c>--fail-on-anomalies</c>, exit 6 when the scans ran and any check failed, so a CI job can gate on it.
/// </summary>
internal sealed class ScanCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<string[]> _datastoreIds = OperationOptions.Datastores();
    private readonly Option<string[]> _containers = OperationOptions.Containers();
    private readonly Option<bool> _wait = OperationOptions.Wait("scans");
    private readonly Option<int> _parallel = OperationOptions.Parallel("scanned");
    private readonly Option<bool> _failOnAnomalies = new("--fail-on-anomalies")
    {
        Description = $"With --wait: exit {ExitCodes.AnomaliesFound} when any check failed (a scan that did not run still exits {ExitCodes.Failure}).",
    };
    private readonly Option<bool> _resolvePassing = new("--resolve-passing-anomalies")
    {
        Description = "Resolve the open anomalies of checks that pass in this scan.",
    };
    private readonly Option<OutputFormat> _format = CommandSupport.FormatOption();

    public ScanCommand(CliContext context) : base("scan", "Scan datastores: run their active quality checks at the source and record anomalies.")
    {
        _context = context;
        foreach (var option in new Option[] { _datastoreIds, _containers, _wait, _parallel, _failOnAnomalies, _resolvePassing, _format }) Options.Add(option);
        this.SetClientAction(context, RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var targets = OperationOptions.Split(parse.GetValue(_datastoreIds));
        var containers = OperationOptions.Split(parse.GetValue(_containers));
        var error = OperationOptions.CommonError(targets, parse.GetValue(_parallel))
            ?? (parse.GetValue(_failOnAnomalies) && !parse.GetValue(_wait) ? "--fail-on-anomalies needs --wait: only a finished scan knows whether a check failed." : null);
        if (error is not null) return OperationOptions.UsageError(_context, error);
        var json = parse.GetValue(_format) == OutputFormat.Json;
        var resolve = parse.GetValue(_resolvePassing);
        using var client = QuarryClient.FromSettings(_context);
        var (ids, names) = await OperationOptions.ResolveAsync(client, targets, ct);
        object Request(int? id) => new
        {
            type = "scan", datastore_id = id, datastore_ids = id is null ? ids : null,
            container_names = containers.Count == 0 ? null : containers, resolve_passing_anomalies = resolve,
        };

        var results = await SyncRun.QueueOrRunAsync(_context, client, "scan", ids, names, Request, parse.GetValue(_wait), parse.GetValue(_parallel), json, ct);
        if (results is null) return ExitCodes.Success;
        WriteSummary(results, names, json);
        if (results.Any(r => r.Result != OperationResult.Success)) return ExitCodes.Failure;
        return parse.GetValue(_failOnAnomalies) && results.Sum(r => Count(r, "checks_failed")) > 0 ? ExitCodes.AnomaliesFound : ExitCodes.Success;
    }

    private static int Count(OperationDto o, string name) => OperationOptions.SummaryCount(o, name) ?? 0;

    private void WriteSummary(IReadOnlyList<OperationDto> results, IReadOnlyDictionary<int, string> names, bool json)
    {
        if (json)
        {
            CommandSupport.WriteJson(_context, results);
            return;
        }
        var table = CommandSupport.Table("Datastore", "Operation", "Result", "Checks", "Passed", "Failed", "Unasserted", "Message");
        table.Title = new TableTitle("Scan Summary");
        foreach (var o in results)
        {
            var failed = Count(o, "checks_failed");
            table.AddRow([.. OperationOptions.SummaryCells(o, names), CommandSupport.Cell(Count(o, "checks")), CommandSupport.Cell(Count(o, "checks_passed")),
                failed > 0 ? $"[red]{failed}[/]" : "0", CommandSupport.Cell(Count(o, "checks_unasserted")), CommandSupport.Cell(o.Details ?? o.Message)]);
        }
        _context.Out.Write(table);
        var notRun = results.Count(r => r.Result != OperationResult.Success);
        var checksFailed = results.Sum(r => Count(r, "checks_failed"));
        _context.Out.MarkupLine(notRun > 0 ? $"[red]{notRun} of {results.Count} scan(s) did not succeed.[/]"
            : checksFailed > 0 ? $"[red]{checksFailed} check(s) failed[/] in {results.Count} datastore(s)."
            : $"{results.Count} datastore(s) scanned; no check failed.");
    }
}
