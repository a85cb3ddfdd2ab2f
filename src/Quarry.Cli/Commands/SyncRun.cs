namespace Quarry.Cli.Commands;

/// <summary>
/// Drives <c>operations sync --wait</c> and <c>operations scan --wait</c>: queues one operation per datastore (the run
/// request <paramref name="request"/> makes for it), at most <c>parallel</c> in flight, polls them and reports each
/// change. On Ctrl-C it aborts the operations still in flight before giving up.
/// </summary>
internal sealed class SyncRun(QuarryClient client, IReadOnlyList<int> ids, IReadOnlyDictionary<int, string> names, Func<int, object> request, int parallel)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// What <c>operations sync|scan|profile</c> share: without <c>--wait</c>, queue one <paramref name="type"/> per
    /// datastore in one request (<paramref name="request"/> given null) and say how to follow them, returning null;
    /// with it, run them (each request given its datastore id) and return how each finished.
    /// </summary>
    public static async Task<List<OperationDto>?> QueueOrRunAsync(CliContext context, QuarryClient client, string type, List<int> ids,
        IReadOnlyDictionary<int, string> names, Func<int?, object> request, bool wait, int parallel, bool json, CancellationToken ct)
    {
        if (!wait)
        {
            var queued = await client.PostAsync<List<OperationDto>>("/api/operations/run", request(null), ct);
            if (json) CommandSupport.WriteJson(context, queued);
            else
            {
                foreach (var o in queued)
                    context.Out.MarkupLine($"Queued {type} [bold]{o.Id}[/] for datastore {o.DatastoreId} ({names[o.DatastoreId].EscapeMarkup()}).");
                context.Out.MarkupLine("Follow them with 'quarry operations get <id>', or run with --wait.");
            }
            return null;
        }
        var run = new SyncRun(client, ids, names, id => request(id), parallel);
        return context.IsTerminal && !json ? await run.WithProgressBarsAsync(context.Err, ct) : await run.WithLinesAsync(context.Err, ct);
    }

    /// <summary>Spectre progress bars, one per datastore, for a terminal.</summary>
    public Task<List<OperationDto>> WithProgressBarsAsync(IAnsiConsole console, CancellationToken ct) =>
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = ids.ToDictionary(id => id, id => progress.AddTask(Label(id, "waiting"), autoStart: false, maxValue: 1));
                return await RunAsync(o =>
                {
                    var task = tasks[o.DatastoreId];
                    task.Description = Label(o.DatastoreId, OperationsCommands.Describe(o));
                    if (o.State != OperationState.Queued && !task.IsStarted) task.StartTask();
                    if (o.Status.TotalContainers is int total) task.MaxValue = Math.Max(1, total);
                    task.Value = o.State == OperationState.Finished ? task.MaxValue : o.Status.ContainersAnalyzed ?? 0;
                    if (o.State == OperationState.Finished) task.StopTask();
                }, ct);
            });

    /// <summary>One plain line per change, for logs and pipes.</summary>
    public Task<List<OperationDto>> WithLinesAsync(IAnsiConsole console, CancellationToken ct) =>
        RunAsync(o =>
        {
            var counts = o.Status.TotalContainers is int total ? $" ({o.Status.ContainersAnalyzed ?? 0}/{total} containers)" : "";
            var message = o.State == OperationState.Finished && (o.Details ?? o.Message) is { } words ? $": {words}" : "";
            console.WriteLine($"datastore {o.DatastoreId} ({names[o.DatastoreId]}): operation {o.Id} {OperationsCommands.Describe(o)}{counts}{message}");
        }, ct);

    private string Label(int id, string state) => $"{names[id].EscapeMarkup()} [grey]#{id} {state.EscapeMarkup()}[/]";

    private async Task<List<OperationDto>> RunAsync(Action<OperationDto> report, CancellationToken ct)
    {
        var pending = new Queue<int>(ids);
        var inFlight = new Dictionary<int, OperationDto>();
        var lastSeen = new Dictionary<int, string>();
        var done = new Dictionary<int, OperationDto>();
        try
        {
            while (pending.Count > 0 || inFlight.Count > 0)
            {
                while (pending.Count > 0 && inFlight.Count < parallel)
                {
                    var id = pending.Dequeue();
                    var queued = await client.PostAsync<OperationDto>("/api/operations/run", request(id), ct);
                    inFlight[queued.Id] = queued;
                    Report(queued);
                }
                await Task.Delay(PollInterval, ct);
                foreach (var operationId in inFlight.Keys.ToList())
                {
                    var operation = await client.GetAsync<OperationDto>($"/api/operations/{operationId}", ct);
                    inFlight[operationId] = operation;
                    Report(operation);
                    if (operation.State != OperationState.Finished) continue;
                    inFlight.Remove(operationId);
                    done[operation.DatastoreId] = operation;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: don't leave operations running that nobody is waiting for.
            foreach (var operationId in inFlight.Keys)
            {
                try { await client.PutAsync<OperationDto>($"/api/operations/abort/{operationId}", new { }, CancellationToken.None); }
                catch (ApiException) { /* it finished meanwhile: nothing to abort */ }
            }
            throw;
        }
        return [.. ids.Select(id => done[id])];

        void Report(OperationDto o)
        {
            var key = $"{o.State}/{o.Result}/{o.Status.TotalContainers}/{o.Status.ContainersAnalyzed}";
            if (lastSeen.TryGetValue(o.Id, out var previous) && previous == key) return;
            lastSeen[o.Id] = key;
            report(o);
        }
    }
}
