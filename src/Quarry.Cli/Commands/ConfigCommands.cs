using Quarry.Cli.Config;

namespace Quarry.Cli.Commands;

/// <summary><c>quarry config</c>: config as code.</summary>
internal static class ConfigCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("config", "Config as code: connections, datastores, computed containers and fields, and checks as YAML files in git.")
        {
            new ConfigImportCommand(context),
            new ConfigSchemaCommand(context),
            new ConfigExportCommand(context),
        };
    }
}

/// <summary><c>quarry config import</c>: plans a config folder on the server, then applies it atomically.</summary>
internal sealed class ConfigImportCommand : Command
{
    private static readonly Option<string> InputOption = new("--input", "-i") { Description = "The config folder: its root, its datastores/ folder, or one datastore's folder.", Required = true };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show what would change, field by field; write nothing." };
    private static readonly Option<string[]> IncludeOption = new("--include") { Description = "Only these kinds: connections, datastores, containers, computed_fields, checks (comma-separated).", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> EnvFileOption = new("--env-file") { Description = "Read ${VAR} values from this file instead of ./.env (the environment still comes first)." };
    private static readonly Option<string?> NamespaceOption = new("--namespace") { Description = "Recorded on what this config creates, for a later prune (default: the config folder's name)." };
    private static readonly Option<bool> ContinueOption = new("--continue-on-error") { Description = "Apply every item that can stand alone instead of nothing when one fails." };
    private static readonly Option<bool> DetailedExitCodeOption = new("--detailed-exitcode") { Description = "With --dry-run: exit 3 when changes are pending, 0 when there are none." };
    private static readonly Option<bool> SyncOption = new("--sync") { Description = "After applying, start a sync of every created or changed datastore." };
    private static readonly Option<bool> PruneOption = new("--prune") { Description = "Delete what this namespace created that the folder no longer holds (never anything made by hand or by another namespace)." };
    private static readonly Option<bool> YesOption = new("--yes", "-y") { Description = "Don't ask before --prune deletes (asked only on a terminal)." };
    private static readonly Option<bool> NoSyncOption = new("--no-sync") { Description = "Don't sync datastores whose catalog lacks containers the checks name; report them as errors instead." };
    private static readonly Option<OutputFormat> FormatOption = CommandSupport.FormatOption();

    public ConfigImportCommand(CliContext context) : base("import", "Create or update connections, datastores, computed containers and fields, and checks from a config folder.")
    {
        Options.Add(InputOption);
        Options.Add(DryRunOption);
        Options.Add(IncludeOption);
        Options.Add(EnvFileOption);
        Options.Add(NamespaceOption);
        Options.Add(ContinueOption);
        Options.Add(DetailedExitCodeOption);
        Options.Add(SyncOption);
        Options.Add(PruneOption);
        Options.Add(YesOption);
        Options.Add(NoSyncOption);
        Options.Add(FormatOption);
        this.SetClientAction(context, (parse, ct) => new ConfigImport(context, new ImportOptions(
            parse.GetValue(InputOption)!,
            parse.GetValue(DryRunOption),
            parse.GetValue(IncludeOption) ?? [],
            parse.GetValue(EnvFileOption),
            parse.GetValue(NamespaceOption),
            parse.GetValue(ContinueOption),
            parse.GetValue(DetailedExitCodeOption),
            parse.GetValue(SyncOption),
            parse.GetValue(FormatOption) == OutputFormat.Json,
            parse.GetValue(PruneOption),
            parse.GetValue(YesOption),
            parse.GetValue(NoSyncOption))).RunAsync(ct));
    }
}

/// <summary><c>quarry config schema</c>: writes the JSON Schema of each config file kind, for editors.</summary>
internal sealed class ConfigSchemaCommand : Command
{
    private static readonly Option<string> OutputOption = new("--output", "-o") { Description = "Folder to write the schemas to.", Required = true };

    public ConfigSchemaCommand(CliContext context) : base("schema", "Write the JSON Schemas of config files (connection, datastore, container, computed_field, check) for editors.")
    {
        Options.Add(OutputOption);
        SetAction(parse =>
        {
            var folder = Path.GetFullPath(Path.Combine(context.WorkingDirectory, parse.GetValue(OutputOption)!));
            Directory.CreateDirectory(folder);
            foreach (var kind in ConfigFileKinds.All)
            {
                var path = Path.Combine(folder, kind.SchemaFileName);
                File.WriteAllText(path, ConfigSchemas.For(kind));
                context.Out.WriteLine($"Wrote {path}");
            }
            context.Out.WriteLine("Reference one from a file's first line: # yaml-language-server: $schema=<path>/connection.schema.json");
            return ExitCodes.Success;
        });
    }
}
