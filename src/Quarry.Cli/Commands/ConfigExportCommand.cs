using Quarry.Cli.Config.Export;

namespace Quarry.Cli.Commands;

/// <summary><c>quarry config export</c>: writes the server's configuration as a config folder that import reads back.</summary>
internal sealed class ConfigExportCommand : Command
{
    private static readonly Option<string> OutputOption = new("--output", "-o") { Description = "The folder to write (created if missing); files whose content is unchanged are left alone.", Required = true };
    private static readonly Option<string[]> DatastoreIdOption = new("--datastore-id") { Description = "Only these datastores (comma-separated ids) and the connections they use.", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string[]> IncludeOption = new("--include") { Description = $"Only these kinds: {string.Join(", ", ConfigExporter.Kinds)} (comma-separated).", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<OutputFormat> FormatOption = CommandSupport.FormatOption();
    private static readonly Option<bool> InactiveChecksOption = new("--include-inactive-checks")
    {
        Description = "Also write Draft and Archived checks (a profile's proposals); config files carry no status, so they import as Active.",
    };

    public ConfigExportCommand(CliContext context) : base("export", "Write connections, datastores, computed containers and fields, and checks as a config folder.")
    {
        Options.Add(OutputOption);
        Options.Add(DatastoreIdOption);
        Options.Add(IncludeOption);
        Options.Add(FormatOption);
        Options.Add(InactiveChecksOption);
        this.SetClientAction(context, async (parse, ct) =>
        {
            if (!ParseIds(parse.GetValue(DatastoreIdOption) ?? [], out var ids, out var problem) || !ParseInclude(parse.GetValue(IncludeOption) ?? [], out var include, out problem))
            {
                context.Err.MarkupLine($"[red]error:[/] {problem!.EscapeMarkup()}");
                return ExitCodes.Usage;
            }
            var output = Path.GetFullPath(Path.Combine(context.WorkingDirectory, parse.GetValue(OutputOption)!));
            using var client = QuarryClient.FromSettings(context);
            var result = await new ConfigExporter(client) { IncludeInactiveChecks = parse.GetValue(InactiveChecksOption) }.ExportAsync(output, ids, include, ct);
            if (parse.GetValue(FormatOption) == OutputFormat.Json)
            {
                CommandSupport.WriteJson(context, new { output, counts = result.Counts, written = result.Written, unchanged = result.Unchanged, files = result.Files, removed = result.Removed, variables = result.Variables });
                return ExitCodes.Success;
            }
            var table = CommandSupport.Table("Resource", "Exported");
            foreach (var (kind, count) in result.Counts.Where(c => include.Contains(c.Key))) table.AddRow(kind.EscapeMarkup(), count.ToString());
            context.Out.Write(table);
            foreach (var stale in result.Removed) context.Out.WriteLine($"Removed {stale} (no longer on the server)");
            context.Out.WriteLine($"Exported to {output}: {result.Written} file(s) written, {result.Unchanged} unchanged, {result.Removed.Count} removed.");
            if (result.Variables.Count > 0)
                context.Out.WriteLine($"Secrets are written as ${{NAME}} placeholders: set these variables (or a .env) before importing: {string.Join(", ", result.Variables)}");
            return ExitCodes.Success;
        });
    }

    private static bool ParseIds(string[] values, out IReadOnlySet<int>? ids, out string? problem)
    {
        ids = null;
        problem = null;
        var parts = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (parts.Count == 0) return true;
        var parsed = new HashSet<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, out var id) || id <= 0) { problem = $"--datastore-id: '{part}' is not a datastore id (a positive whole number)."; return false; }
            parsed.Add(id);
        }
        ids = parsed;
        return true;
    }

    private static bool ParseInclude(string[] values, out IReadOnlySet<string> include, out string? problem)
    {
        problem = null;
        var names = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(n => n.ToLowerInvariant()).ToHashSet();
        include = names.Count == 0 ? ConfigExporter.Kinds.ToHashSet() : names;
        var unknown = names.Where(n => !ConfigExporter.Kinds.Contains(n)).ToList();
        if (unknown.Count == 0) return true;
        problem = $"--include: unknown kind(s) {string.Join(", ", unknown)}; known: {string.Join(", ", ConfigExporter.Kinds)}.";
        return false;
    }
}
