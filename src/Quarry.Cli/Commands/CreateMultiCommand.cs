using System.Text.RegularExpressions;

namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry datastores create-multi</c>: the wizard on the command line. Shows each schema's generated name
/// and validation result, then creates the datastores that passed and prints what was created and what failed.
/// </summary>
internal sealed class CreateMultiCommand : Command
{
    private static readonly Option<string> ConnectionOption = new("--connection") { Description = "The connection's name or id.", Required = true };
    private static readonly Option<string?> CatalogOption = new("--catalog") { Description = "The catalog (PostgreSQL database); default: the connection's database." };
    private static readonly Option<string?> SchemasOption = new("--schemas") { Description = "Comma-separated schema names." };
    private static readonly Option<string?> PatternOption = new("--schema-pattern") { Description = "Every discovered schema matching this glob ('*' and '?'), e.g. 'sales_*'." };
    private static readonly Option<string> TemplateOption = new("--name-template") { Description = "Datastore name pattern with {{ schema }}, e.g. 'prod_{{ schema }}'.", Required = true };
    private static readonly Option<string[]> TeamOption = new("--team") { Description = "A team every new datastore belongs to (repeat for more; at least one).", Required = true };
    private static readonly Option<string?> GroupOption = new("--group") { Description = "A datastore group by name (created when new) or id." };
    private static readonly Option<bool> SyncOption = new("--sync") { Description = "Queue a sync of each new datastore." };
    private static readonly Option<string?> EnrichmentOption = new("--enrichment") { Description = "An enrichment datastore (name or id) to link every new datastore to." };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show the names and validation results; create nothing." };
    private static readonly Option<OutputFormat> FormatOption = CommandSupport.FormatOption();

    public CreateMultiCommand(CliContext context) : base("create-multi", "Create one datastore per schema of a connection (names from a template).")
    {
        foreach (var option in new Option[] { ConnectionOption, CatalogOption, SchemasOption, PatternOption, TemplateOption, TeamOption, GroupOption, SyncOption, EnrichmentOption, DryRunOption, FormatOption })
            Options.Add(option);
        this.SetClientAction(context, (parse, ct) => RunAsync(context, parse, ct));
    }

    private sealed record Plan(string Schema, string Name, string Status, string Message);

    private sealed record Report(int ConnectionId, string? Catalog, bool DryRun, IReadOnlyList<Plan> Schemas, IReadOnlyList<int> Created, IReadOnlyList<BulkError> Errors);

    private static async Task<int> RunAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        var json = parse.GetValue(FormatOption) == OutputFormat.Json;
        var template = parse.GetValue(TemplateOption)!;
        var schemasList = parse.GetValue(SchemasOption);
        var pattern = parse.GetValue(PatternOption);
        if (Usage(context, template, schemasList, pattern) is { } usage) return usage;

        using var client = QuarryClient.FromSettings(context);
        // What needs no database goes first: an unknown team must not wait for every schema to be validated.
        if (await UnknownTeamsAsync(client, parse.GetValue(TeamOption) ?? [], ct) is { } teams)
        {
            context.Err.MarkupLine($"[red]error:[/] {teams.EscapeMarkup()}");
            return ExitCodes.Usage;
        }
        var connection = await DiscoveryCommands.ResolveConnectionAsync(client, parse.GetValue(ConnectionOption)!, ct);
        var catalog = parse.GetValue(CatalogOption);
        var enrichmentId = await ResolveEnrichmentAsync(client, parse.GetValue(EnrichmentOption), ct);
        var schemas = schemasList is not null
            ? schemasList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList()
            : await MatchAsync(client, connection.Id, catalog, pattern!, ct);
        if (schemas.Count == 0)
        {
            context.Err.MarkupLine($"[red]error:[/] no schema of connection '{connection.Name.EscapeMarkup()}' matches '{(pattern ?? "").EscapeMarkup()}'. 'quarry connections schemas {connection.Name.EscapeMarkup()}{(catalog is null ? "" : $" --catalog {catalog.EscapeMarkup()}")}' lists them.");
            return ExitCodes.Usage;
        }

        // With the template, validation also fails a schema whose name is taken, as the create would: a dry run says so.
        var validation = await client.PostAsync<ValidateResponse>($"/api/connections/{connection.Id}/datastores/validate",
            new ValidateRequest { Catalog = catalog, Schemas = schemas, NameTemplate = template }, ct);
        var names = NameTemplate.TryParse(template)!;
        var plan = validation.Results.Select(r => new Plan(r.SchemaName, names.Render(r.SchemaName).Trim(), r.Status, r.Message)).ToList();
        if (!json) WritePlan(context, connection.Name, plan);

        var failed = plan.Where(p => p.Status != SchemaValidation.Ok).Select(p => new BulkError(p.Schema, $"failed validation: {p.Message}")).ToList();
        if (parse.GetValue(DryRunOption))
        {
            if (json) CommandSupport.WriteJson(context, new Report(connection.Id, catalog, true, plan, [], failed));
            else context.Out.MarkupLine($"[yellow][[DRY RUN]][/] Would create {plan.Count - failed.Count} datastore(s); {failed.Count} schema(s) failed validation.");
            return failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }

        var passed = plan.Where(p => p.Status == SchemaValidation.Ok).Select(p => p.Schema).ToList();
        var result = passed.Count == 0
            ? new BulkCreateResponse(connection.Id, [], [])
            : await client.PostAsync<BulkCreateResponse>($"/api/connections/{connection.Id}/datastores/bulk", new
            {
                catalog, schemas = passed, name_template = template, teams = parse.GetValue(TeamOption),
                group = parse.GetValue(GroupOption), trigger_catalog = parse.GetValue(SyncOption), enrichment_datastore_id = enrichmentId,
            }, ct);
        var errors = failed.Concat(result.Errors).ToList();
        if (json) CommandSupport.WriteJson(context, new Report(connection.Id, catalog, false, plan, result.Created, errors));
        else WriteSummary(context, result.Created, errors, parse.GetValue(SyncOption));
        return errors.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static int? Usage(CliContext context, string template, string? schemas, string? pattern)
    {
        string? problem = null;
        if ((schemas is null) == (pattern is null)) problem = "give exactly one of --schemas a,b or --schema-pattern 'sales_*'.";
        else if (!NameTemplate.HasPlaceholder(template)) problem = $"--name-template '{template}' must contain {{{{ schema }}}}, e.g. 'prod_{{{{ schema }}}}'; otherwise every datastore gets the same name.";
        if (problem is null) return null;
        context.Err.MarkupLine($"[red]error:[/] {problem.EscapeMarkup()}");
        return ExitCodes.Usage;
    }

    /// <summary>Null when every team exists; otherwise the error, naming the teams there are.</summary>
    private static async Task<string?> UnknownTeamsAsync(QuarryClient client, string[] wanted, CancellationToken ct)
    {
        var teams = await client.GetAllAsync<TeamDto>("/api/teams", ct);
        var known = teams.Select(t => Names.Key(t.Name)).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(t => !known.Contains(Names.Key(t))).ToList();
        if (missing.Count == 0) return null;
        var existing = teams.Count == 0 ? "there are none yet" : "existing: " + string.Join(", ", teams.Select(t => t.Name));
        return $"--team: unknown team(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} ({existing}). Create one with 'quarry teams create {missing[0]}'. Nothing was validated or created.";
    }

    private static async Task<List<string>> MatchAsync(QuarryClient client, int connectionId, string? catalog, string pattern, CancellationToken ct)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");
        var all = await client.GetAsync<List<DiscoveredName>>($"/api/connections/{connectionId}/schemas" + ConnectionsCommands.Query(("catalog", catalog)), ct);
        return all.Select(s => s.Name).Where(n => regex.IsMatch(n)).ToList();
    }

    private static async Task<int?> ResolveEnrichmentAsync(QuarryClient client, string? nameOrId, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(nameOrId) ? null : await DiscoveryCommands.ResolveDatastoreIdAsync(client, nameOrId, ct, "--enrichment");

    private static void WritePlan(CliContext context, string connection, List<Plan> plan)
    {
        var table = CommandSupport.Table("Schema", "Datastore name", "Validation", "Message");
        foreach (var p in plan)
            table.AddRow(CommandSupport.Cell(p.Schema), CommandSupport.Cell(p.Name), p.Status == SchemaValidation.Ok ? "[green]ok[/]" : "[red]error[/]", CommandSupport.Cell(p.Message));
        context.Out.MarkupLine($"Connection [bold]{connection.EscapeMarkup()}[/]: {plan.Count} schema(s)");
        context.Out.Write(table);
    }

    private static void WriteSummary(CliContext context, IReadOnlyList<int> created, List<BulkError> errors, bool sync)
    {
        context.Out.MarkupLine($"[green]Created {created.Count} datastore(s)[/]{(created.Count > 0 ? ": " + string.Join(", ", created) : "")}{(sync && created.Count > 0 ? " (sync queued)" : "")}");
        if (errors.Count == 0) return;
        var table = CommandSupport.Table("Schema", "Error");
        foreach (var e in errors) table.AddRow(CommandSupport.Cell(e.SchemaName), CommandSupport.Cell(e.Error));
        context.Out.MarkupLine($"[red]{errors.Count} schema(s) failed[/]");
        context.Out.Write(table);
    }
}
