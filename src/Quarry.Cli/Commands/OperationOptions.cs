namespace Quarry.Cli.Commands;

/// <summary>
/// What <c>operations sync|profile|scan</c> share besides running (<see cref="SyncRun"/>): the options that choose
/// datastores and containers and how to wait, the checks that refuse them alike, and the summary cells every one shows.
/// </summary>
internal static class OperationOptions
{
    /// <summary><c>--datastore</c> (also <c>--datastore-id</c>, <c>--datastore-ids</c>): the datastores an operation command runs on.</summary>
    internal static Option<string[]> Datastores() => new("--datastore", "--datastore-id", "--datastore-ids")
    {
        Description = "Datastore names or ids, comma-separated (42,43,warehouse-prod) or the option repeated.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    internal static Option<string[]> Containers() => new("--container", "--containers")
    {
        Description = "Only these containers, comma-separated (orders,customers); every container when left out.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <param name="operations">The operations waited for, as the help says it: "syncs", "scans".</param>
    internal static Option<bool> Wait(string operations) =>
        new("--wait") { Description = $"Wait for the {operations} to finish, showing progress and a summary." };

    /// <param name="done">What happens to a datastore, as the help says it: "synced", "scanned".</param>
    internal static Option<int> Parallel(string done) => new("--parallel")
    {
        Description = $"With --wait: how many of the datastores are {done} at once (the server's workers bound it too).",
        DefaultValueFactory = _ => 4,
    };

    /// <summary>The values of a comma-separated option given once or repeated, trimmed, blanks left out.</summary>
    internal static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>The first of the checks every operation command makes, or null: no datastore, or a parallelism below 1.</summary>
    internal static string? CommonError(List<string> targets, int parallel) =>
        targets.Count == 0 ? "--datastore: give at least one datastore name or id, e.g. --datastore warehouse-prod or --datastore 42,43,44."
        : parallel < 1 ? "--parallel must be 1 or more."
        : null;

    internal static int UsageError(CliContext context, string error)
    {
        context.Err.MarkupLine($"[red]error:[/] {error.EscapeMarkup()}");
        return ExitCodes.Usage;
    }

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

    /// <summary>The summary's first cells of one operation: its datastore (id and name), its id, and how it ended.</summary>
    internal static string[] SummaryCells(OperationDto o, IReadOnlyDictionary<int, string> names) =>
    [
        CommandSupport.Cell($"{o.DatastoreId} {names[o.DatastoreId]}"), CommandSupport.Cell(o.Id),
        o.Result == OperationResult.Success ? "[green]success[/]" : $"[red]{o.Result.EscapeMarkup()}[/]",
    ];

    /// <summary>A whole number the operation's summary holds under <paramref name="name"/>, or null.</summary>
    internal static int? SummaryCount(OperationDto o, string name) =>
        o.Summary is { ValueKind: JsonValueKind.Object } summary && summary.TryGetProperty(name, out var n) && n.TryGetInt32(out var count) ? count : null;
}
