namespace Quarry.Cli.Config;

public sealed record ImportOptions(
    string Input, bool DryRun, IReadOnlyList<string> Include, string? EnvFile, string? Namespace,
    bool ContinueOnError, bool DetailedExitCode, bool Sync, bool Json, bool Prune = false, bool Yes = false, bool NoSync = false);

/// <summary>
/// <c>quarry config import</c>: load and validate the folder locally (no request until every file is valid and
/// every variable set), let the server plan it, then apply it in one transaction and report per item.
/// </summary>
public sealed class ConfigImport(CliContext context, ImportOptions options)
{
    private readonly ImportReport _report = new(context, options.DryRun, options.Json);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!ParseInclude(out var kinds)) return ExitCodes.Usage;
        if (options.DetailedExitCode && !options.DryRun) return Usage("--detailed-exitcode goes with --dry-run (exit 3 when changes are pending).");
        var folder = ConfigFolder.Open(Path.Combine(context.WorkingDirectory, options.Input), out var problem, options.Input);
        if (problem is not null) return Usage(problem);
        var envFile = options.EnvFile is null ? Path.Combine(context.WorkingDirectory, ".env") : Path.Combine(context.WorkingDirectory, options.EnvFile);
        if (options.EnvFile is not null && !File.Exists(envFile)) return Usage($"--env-file '{options.EnvFile}' does not exist.");

        var envErrors = new List<ConfigError>();
        var dotenv = ConfigVariables.ReadDotEnv(envFile, Display(envFile), envErrors);
        if (envErrors.Count > 0) return _report.ValidationFailed(envErrors);
        var variables = new ConfigVariables(context.GetEnvironment, dotenv);
        var loader = new ConfigLoader(variables, Display);
        var loaded = await Progress.RunAsync(context, "Reading config files…", status => Task.FromResult(loader.Load(folder, kinds, status)));
        _report.Warnings.AddRange(loaded.Warnings);
        if (loaded.Errors.Count > 0) return _report.ValidationFailed(loaded.Errors);

        var request = DesiredState.Build(loaded, options.Namespace ?? folder.DefaultNamespace, options.ContinueOnError);
        if (options.Prune) request.Prune = QualityState.PruneKinds(kinds, folder);
        using var client = QuarryClient.FromSettings(context);
        var quality = new QualityImport(context, client, options);
        var (missing, firstFailed) = await quality.PrepareAsync(request, loaded, ct);
        _report.Warnings.AddRange(quality.Warnings);
        _report.Syncs.AddRange(quality.Syncs);
        // After the first stage, connections and datastores are written: report them, and the rest as not applied.
        if (missing is not null && quality.FirstStage is { Applied: true } applied) return _report.StoppedAfterFirstStage(applied, missing, loaded, kinds);
        if (missing is not null) return _report.ValidationFailed(missing);
        if (firstFailed is not null) return await FinishAsync(firstFailed, loaded, kinds, client, ct);

        var summary = $"{request.Connections.Count} connection(s) and {request.Datastores.Count} datastore(s)";
        // A prune asks before deleting on a terminal, so it needs the plan first; otherwise only a dry run plans.
        if (options.DryRun || (request.Prune.Count > 0 && !options.Yes && context.IsTerminal))
        {
            var plan = await Progress.RunAsync(context, $"Planning {summary} on the server…", _ => client.PostAsync<ConfigResult>("/api/config/plan", request, ct));
            if (options.DryRun) return Finish(quality.Merge(plan), loaded, kinds);
            if (!ConfirmDeletions(plan)) return ExitCodes.Cancelled;
        }
        // Apply plans on the server inside its transaction, so a separate plan request would only repeat that work.
        // Without --continue-on-error it writes nothing unless every item succeeds; with it, what stands alone is applied.
        var result = await Progress.RunAsync(context, $"Applying {summary}…", _ => client.PostAsync<ConfigResult>("/api/config/apply", request, ct));
        return await FinishAsync(quality.Merge(result), loaded, kinds, client, ct);
    }

    /// <summary>Reports a plan (nothing written): invalid items are validation errors in files (exit 2).</summary>
    private int Finish(ConfigResult plan, LoadedConfig loaded, IReadOnlyList<ConfigFileKind> kinds)
    {
        var invalid = InvalidItems(plan, loaded);
        // With --continue-on-error the preview shows what the apply would do: the other items, and these as failed.
        if (invalid.Count > 0 && !options.ContinueOnError) return _report.ValidationFailed(invalid, plan, loaded, kinds);
        var code = _report.Finish(plan, loaded, kinds);
        if (code != ExitCodes.Success) return code;
        return options.DetailedExitCode && HasChanges(plan) ? ExitCodes.ChangesPending : ExitCodes.Success;
    }

    private async Task<int> FinishAsync(ConfigResult result, LoadedConfig loaded, IReadOnlyList<ConfigFileKind> kinds, QuarryClient client, CancellationToken ct)
    {
        if (!result.Applied)
        {
            var invalid = InvalidItems(result, loaded);
            if (invalid.Count > 0) return _report.ValidationFailed(invalid, result, loaded, kinds);
        }
        if (options.Sync && result.Applied) await new SyncStarter(client, _report).StartAsync(result, loaded, ct);
        return _report.Finish(result, loaded, kinds);
    }

    private static bool HasChanges(ConfigResult plan) => plan.Items.Any(i => i.Action is ConfigActions.Create or ConfigActions.Update or ConfigActions.Delete);

    /// <summary>On a terminal, a prune that deletes asks first (unless --yes); scripts and CI pass --yes or run without a terminal.</summary>
    private bool ConfirmDeletions(ConfigResult plan)
    {
        var deletions = plan.Items.Where(i => i.Action == ConfigActions.Delete).ToList();
        if (deletions.Count == 0 || options.Yes || !context.IsTerminal) return true;
        foreach (var item in deletions) context.Err.WriteLine($"  - {item.Kind.Replace('_', ' ')}: {item.Name}");
        if (context.Err.Confirm($"--prune will delete the {deletions.Count} resource(s) above. Continue?", defaultValue: false)) return true;
        context.Err.WriteLine("Nothing was applied.");
        return false;
    }

    private static List<ConfigError> InvalidItems(ConfigResult plan, LoadedConfig loaded) =>
        plan.Items.SelectMany(item => item.Errors.Where(e => e.Code is ItemError.Invalid or ItemError.NotFound)
            .Select(e => DesiredState.Locate(loaded, item, e))).ToList();

    private bool ParseInclude(out IReadOnlyList<ConfigFileKind> kinds)
    {
        kinds = ConfigFileKinds.All;
        var names = options.Include.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0) return true;
        foreach (var name in names.Where(n => ConfigFileKinds.All.All(k => k.Plural != n)))
        {
            var later = ConfigFileKinds.NotImportedYet.Any(f => f.Folder == name);
            Usage(later
                ? $"--include {name}: {name} are not imported yet by this version; use connections and/or datastores."
                : $"--include: unknown kind '{name}'{NearestName.Suggest(name, ConfigFileKinds.All.Select(k => k.Plural))}");
            return false;
        }
        kinds = ConfigFileKinds.All.Where(k => names.Contains(k.Plural)).ToList();
        return true;
    }

    private int Usage(string message) => _report.UsageError(message);

    /// <summary>A path as messages show it: relative to the working directory when it is inside it.</summary>
    private string Display(string path)
    {
        var relative = Path.GetRelativePath(context.WorkingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}

/// <summary>Turns validated documents into the request the server plans, and maps server answers back to files.</summary>
internal static class DesiredState
{
    public static ConfigRequest Build(LoadedConfig loaded, string ns, bool continueOnError) => new()
    {
        Namespace = ns,
        ContinueOnError = continueOnError,
        Connections = loaded.Of(ConnectionFileKind.Instance).Select(d => new ConnectionRequest
        {
            Name = d.Name, Type = d.String("type"), Host = d.String("host"), Port = d.Integer("port"), Username = d.String("username"),
            Password = d.String("password"), Database = d.String("database"), Path = d.String("path"), Parameters = d.Map("parameters"),
        }).ToList(),
        Datastores = loaded.Of(DatastoreFileKind.Instance).Select(d => new DatastoreSpec
        {
            Name = d.Name, Connection = d.String("connection"), Database = d.String("database"), Schema = d.String("schema"),
            Description = d.String("description"), Tags = d.List("tags"), Teams = d.List("teams"), Group = d.String("group"),
            EnrichmentOnly = d.Boolean("enrichment_only"), EnrichmentDatastore = d.String("enrichment_datastore"),
            EnrichmentPrefix = d.String("enrichment_prefix"), SourceRecordLimit = d.Integer("source_record_limit"),
        }).ToList(),
        ComputedContainers = QualityState.Containers(loaded),
        ComputedFields = QualityState.Fields(loaded),
        Checks = QualityState.Checks(loaded),
    };

    public static ConfigDocument? Find(LoadedConfig loaded, ConfigItemResult item) => item.Kind switch
    {
        ConfigKinds.Connection => loaded.Find(ConnectionFileKind.Instance, item.Name),
        ConfigKinds.Datastore => loaded.Find(DatastoreFileKind.Instance, item.Name),
        // A group has no file of its own: it is where the first datastore names it.
        ConfigKinds.Group => loaded.Of(DatastoreFileKind.Instance).FirstOrDefault(d => d.String("group") is { } group && Names.Key(group) == Names.Key(item.Name)),
        _ => QualityState.Find(loaded, item),
    };

    public static ConfigError Locate(LoadedConfig loaded, ConfigItemResult item, ItemError error)
    {
        // The server's own messages for names it can't find already say what they are; service messages need the key.
        var field = error.Field is null || error.Code == ItemError.NotFound ? "" : $"{error.Field}: ";
        var message = $"{item.Kind.Replace('_', ' ')} '{item.Name}': {field}{error.Message}";
        return Find(loaded, item)?.ErrorAt(item.Kind == ConfigKinds.Group ? "group" : error.Field, message) ?? new ConfigError(item.Kind, 0, 0, message);
    }
}
