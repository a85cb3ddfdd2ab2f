using Quarry.Cli.Commands;

namespace Quarry.Cli.Config;

/// <summary>
/// What <c>config import</c> prints: one line per item (<c>[DRY RUN] Would create …</c>) with a diff under every update, failures on
/// stderr at file:line:column, and the Import Summary table; or, with <c>--format json</c>, one document on
/// stdout. Values come from the server's plan, which never holds a secret.
/// </summary>
public sealed class ImportReport(CliContext context, bool dryRun, bool json)
{
    public List<string> Warnings { get; } = [];
    public List<SyncStarted> Syncs { get; } = [];
    public List<string> Errors { get; } = [];

    /// <summary>A bad command line (no such folder, unknown --include kind): exit 2; with --format json, still one document on stdout.</summary>
    public int UsageError(string message)
    {
        context.Err.MarkupLine($"[red]error:[/] {message.EscapeMarkup()}");
        if (json)
            CommandSupport.WriteJson(context, new ImportDocument(dryRun, false, null, false, [], [], Warnings,
                [new ImportError("(command line)", 0, 0, message)], Syncs, "Nothing was sent to the server."));
        return ExitCodes.Usage;
    }

    /// <summary>
    /// The connections and datastores were applied so their datastores could be synced, and then the sync (or the
    /// catalog it found) stopped the rest: say what was written, and exit 1, not "nothing was sent".
    /// </summary>
    public int StoppedAfterFirstStage(ConfigResult applied, IReadOnlyList<ConfigError> errors, LoadedConfig loaded, IReadOnlyList<ConfigFileKind> kinds)
    {
        Errors.AddRange(errors.Select(e => e.ToString()));
        return Finish(applied with { Message = "The connections and datastores above were applied; the checks, computed fields and computed containers were not. Fix the errors above and run the import again." },
            loaded, kinds);
    }

    public int ValidationFailed(IReadOnlyList<ConfigError> errors, ConfigResult? plan = null, LoadedConfig? loaded = null, IReadOnlyList<ConfigFileKind>? kinds = null)
    {
        WriteWarnings();
        foreach (var error in errors) context.Err.WriteLine($"error: {error}");
        var what = plan is null ? "Nothing was sent to the server."
            : dryRun ? "Fix them to see the whole plan, or add --continue-on-error to preview the other items."
            : "Nothing was applied.";
        context.Err.WriteLine($"{errors.Count} error(s) in the config. {what}");
        if (json)
            CommandSupport.WriteJson(context, new ImportDocument(dryRun, false, plan?.Namespace, false, plan is null ? [] : Summary(plan, kinds!),
                plan is null ? [] : Items(plan, loaded!), Warnings,
                errors.Select(e => new ImportError(e.File, e.Line, e.Column, e.Message)).ToList(), Syncs, what));
        return ExitCodes.Usage;
    }

    /// <summary>Reports a plan or an apply result and returns the exit code: 1 when any item failed.</summary>
    public int Finish(ConfigResult result, LoadedConfig loaded, IReadOnlyList<ConfigFileKind> kinds)
    {
        WriteWarnings();
        var failed = result.Items.Count(i => i.Action is ConfigActions.Failed or ConfigActions.Skipped);
        var message = result.Message?.Replace("pass continue_on_error", "pass --continue-on-error", StringComparison.Ordinal);
        if (json)
        {
            var pending = result.Items.Any(i => i.Action is ConfigActions.Create or ConfigActions.Update or ConfigActions.Delete);
            CommandSupport.WriteJson(context, new ImportDocument(dryRun, result.Applied, result.Namespace, dryRun && pending,
                Summary(result, kinds), Items(result, loaded), Warnings, [], Syncs, message));
        }
        else
        {
            // A rolled-back apply wrote nothing: its lines say what it would have done, like a dry run.
            var prefix = dryRun ? "[DRY RUN] " : result.Applied ? null : "[NOT APPLIED] ";
            // One write for all item lines: Spectre's per-call overhead was ~1 s of CPU for 20,000 created items.
            var lines = new List<string>();
            foreach (var item in result.Items) ItemLines(item, prefix, lines);
            if (lines.Count > 0) context.Out.WriteLine(string.Join('\n', lines));
            foreach (var sync in Syncs) context.Out.WriteLine(sync.Result is null
                ? $"Started sync for datastore: {sync.Datastore} (operation {sync.OperationId})"
                : sync.Result == "success"
                    ? $"Synced datastore: {sync.Datastore} (operation {sync.OperationId}) to catalog the containers the checks and computed fields name"
                    : $"Sync of datastore {sync.Datastore} (operation {sync.OperationId}) ended {sync.Result}; the checks and computed fields were not applied");
            WriteSummary(result, kinds, !dryRun && !result.Applied);
        }
        foreach (var item in result.Items.Where(i => i.Action is ConfigActions.Failed or ConfigActions.Skipped))
            foreach (var error in item.Errors) context.Err.WriteLine($"{(item.Action == ConfigActions.Skipped ? "skipped" : "error")}: {DesiredState.Locate(loaded, item, error)}");
        foreach (var error in Errors) context.Err.WriteLine($"error: {error}");
        if (message is not null) context.Err.WriteLine(message);
        return failed > 0 || Errors.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void ItemLines(ConfigItemResult item, string? wouldPrefix, List<string> lines)
    {
        var kind = item.Kind.Replace('_', ' ');
        var line = (item.Action, wouldPrefix is null) switch
        {
            (ConfigActions.Create, false) => $"{wouldPrefix}Would create {kind}: {item.Name}",
            (ConfigActions.Update, false) => $"{wouldPrefix}Would update {kind}: {item.Name}",
            (ConfigActions.Delete, false) => $"{wouldPrefix}Would delete {kind}: {item.Name}",
            (ConfigActions.Create, true) => $"Created {kind}: {item.Name}",
            (ConfigActions.Update, true) => $"Updated {kind}: {item.Name}",
            (ConfigActions.Delete, true) => $"Deleted {kind}: {item.Name}",
            _ => null,
        };
        if (line is null) return;
        lines.Add(line);
        if (item.Action == ConfigActions.Delete) lines.Add($"    - {kind} {item.Name} (no longer in the config; --prune)");
        foreach (var change in item.Changes) lines.Add("    " + Describe(change));
    }

    public static string Describe(FieldChange change) => change.Sensitive
        ? $"~ {change.Field}: {FieldChange.SensitiveText}"
        : $"~ {change.Field}: {change.From ?? "(none)"} → {change.To ?? "(none)"}";

    private void WriteSummary(ConfigResult result, IReadOnlyList<ConfigFileKind> kinds, bool rolledBack)
    {
        var table = new Table().Border(TableBorder.HeavyHead).Title(rolledBack ? "Import Summary (nothing applied)" : "Import Summary");
        var deletes = result.Items.Any(i => i.Action == ConfigActions.Delete);
        foreach (var column in new[] { "Resource", "Created", "Updated", "Unchanged", "Failed" }.Concat(deletes ? ["Deleted"] : [])) table.AddColumn(column);
        foreach (var (resource, row) in Summary(result, kinds))
            table.AddRow([Label(resource), row.Created.ToString(), row.Updated.ToString(), row.Unchanged.ToString(), row.Failed.ToString(), .. deletes ? new[] { row.Deleted.ToString() } : []]);
        context.Out.Write(table);
    }

    private static string Label(string resource) => resource switch
    {
        "connections" => "Connections",
        "datastore_groups" => "Datastore groups",
        "containers" => "Computed containers",
        "computed_fields" => "Computed fields",
        "checks" => "Quality checks",
        _ => "Datastores",
    };

    private static Dictionary<string, SummaryRow> Summary(ConfigResult result, IReadOnlyList<ConfigFileKind> kinds)
    {
        var rows = new Dictionary<string, SummaryRow>();
        // A kind the folder doesn't hold (and nothing pruned) gets no row: a column of zeros reads like something failed to load.
        foreach (var kind in kinds)
        {
            if (kind == DatastoreFileKind.Instance && result.Items.Any(i => i.Kind == ConfigKinds.Group)) rows["datastore_groups"] = Count(result, ConfigKinds.Group);
            if (result.Items.Any(i => i.Kind == kind.ItemKind)) rows[kind.Plural] = Count(result, kind.ItemKind);
        }
        return rows;
    }

    private static SummaryRow Count(ConfigResult result, string kind)
    {
        var items = result.Items.Where(i => i.Kind == kind).ToList();
        return new SummaryRow(
            items.Count(i => i.Action == ConfigActions.Create),
            items.Count(i => i.Action == ConfigActions.Update),
            items.Count(i => i.Action == ConfigActions.Unchanged),
            items.Count(i => i.Action is ConfigActions.Failed or ConfigActions.Skipped),
            items.Count(i => i.Action == ConfigActions.Delete));
    }

    private static List<ImportItem> Items(ConfigResult result, LoadedConfig loaded) =>
        result.Items.Select(i => new ImportItem(i.Kind, i.Name, i.Action, i.Id, DesiredState.Find(loaded, i)?.File, i.Changes, i.Errors)).ToList();

    private void WriteWarnings()
    {
        foreach (var warning in Warnings) context.Err.WriteLine($"warning: {warning}");
        Warnings.Clear();
    }
}

public sealed record SummaryRow(int Created, int Updated, int Unchanged, int Failed, int Deleted = 0);

public sealed record ImportItem(string Kind, string Name, string Action, int? Id, string? File, IReadOnlyList<FieldChange> Changes, IReadOnlyList<ItemError> Errors);

public sealed record ImportError(string File, int Line, int Column, string Message);

/// <summary>A sync the import started: by <c>--sync</c> (no result; it runs on), or before the checks (waited for, with its result).</summary>
public sealed record SyncStarted(string Datastore, int DatastoreId, int OperationId, string? Result = null);

/// <summary>The <c>--format json</c> document: everything the human output says, and nothing secret.</summary>
public sealed record ImportDocument(
    bool DryRun, bool Applied, string? Namespace, bool ChangesPending, Dictionary<string, SummaryRow> Summary,
    IReadOnlyList<ImportItem> Items, IReadOnlyList<string> Warnings, IReadOnlyList<ImportError> Errors,
    IReadOnlyList<SyncStarted> Syncs, string? Message);
