namespace Quarry.Cli.Commands;

/// <summary><c>quarry datastores create|update|delete</c>: the API's datastore writes, by name or id.</summary>
internal static class DatastoreWriteCommands
{
    public static Command Create(CliContext context)
    {
        var fields = new Fields(forCreate: true);
        var name = new Argument<string>("name") { Description = "The new datastore's name (unique, case-insensitive)." };
        var command = new Command("create", "Create a datastore: one catalog/schema of a connection.") { name };
        fields.AddTo(command);
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var request = await fields.RequestAsync(client, parse, ct);
            request.Name = parse.GetValue(name);
            var created = await client.PostAsync<DatastoreDto>("/api/datastores", request, ct);
            return Written(context, parse, fields.Format, created, "Created", request.StartSync);
        });
        return command;
    }

    public static Command Update(CliContext context)
    {
        var fields = new Fields(forCreate: false);
        var target = new Argument<string>("datastore") { Description = "The datastore's name or id." };
        var rename = new Option<string?>("--name") { Description = "A new name." };
        var command = new Command("update", "Change a datastore; what you leave out keeps its value (--tag and --team replace the lists).") { target, rename };
        fields.AddTo(command);
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var id = await DiscoveryCommands.ResolveDatastoreIdAsync(client, parse.GetValue(target)!, ct);
            var request = await fields.RequestAsync(client, parse, ct);
            request.Name = parse.GetValue(rename);
            var updated = await client.PutAsync<DatastoreDto>($"/api/datastores/{id}", request, ct);
            return Written(context, parse, fields.Format, updated, "Updated", request.StartSync);
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var target = new Argument<string>("datastore") { Description = "The datastore's name or id." };
        var yes = Prompts.YesOption();
        var command = new Command("delete", "Delete a datastore with its catalog (containers, fields, checks).") { target, yes };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var id = await DiscoveryCommands.ResolveDatastoreIdAsync(client, parse.GetValue(target)!, ct);
            var datastore = await client.GetAsync<DatastoreDto>($"/api/datastores/{id}", ct);
            if (!Prompts.Confirm(context, parse.GetValue(yes), $"Delete datastore '{datastore.Name}' (id {datastore.Id}) and its catalog?")) return ExitCodes.Cancelled;
            await client.DeleteAsync($"/api/datastores/{id}", ct);
            context.Out.MarkupLine($"Deleted datastore [bold]{datastore.Name.EscapeMarkup()}[/] (id {datastore.Id}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Written(CliContext context, ParseResult parse, Option<OutputFormat> format, DatastoreDto datastore, string verb, bool sync)
    {
        if (parse.GetValue(format) == OutputFormat.Json) CommandSupport.WriteJson(context, datastore);
        else context.Out.MarkupLine($"{verb} datastore [bold]{datastore.Name.EscapeMarkup()}[/] (id {datastore.Id}) on connection "
            + $"{datastore.Connection.Name.EscapeMarkup()}{(sync ? "; sync queued ('quarry operations list' follows it)" : "")}.");
        return ExitCodes.Success;
    }

    /// <summary>The options create and update share; on update, an option left out keeps the stored value.</summary>
    private sealed class Fields(bool forCreate)
    {
        private readonly Option<string?> _connection = new("--connection") { Description = "The connection's name or id.", Required = forCreate };
        private readonly Option<string?> _database = new("--database") { Description = "The catalog, for connectors that have one (default: the connection's database)." };
        private readonly Option<string?> _schema = new("--schema") { Description = "The schema it reads (docs/connectors.md says what a schema is for each connector)." };
        private readonly Option<string?> _description = new("--description") { Description = "What the datastore holds." };
        private readonly Option<string[]> _tags = new("--tag") { Description = "A tag (repeat for more)." };
        private readonly Option<string[]> _teams = new("--team") { Description = "A team that may see it (repeat for more)." };
        private readonly Option<bool?> _enrichmentOnly = new("--enrichment-only") { Description = "Quarry writes enrichment results here and never syncs it." };
        private readonly Option<string?> _enrichment = new("--enrichment")
        {
            Description = "The enrichment datastore (name or id) where scans write their results; on update, 'none' unlinks it.",
        };
        private readonly Option<string?> _enrichmentPrefix = new("--enrichment-prefix") { Description = "Prefix of the tables written there (default: from the name, 'Prod Sales' → _prod_sales)." };
        private readonly Option<bool> _sync = new("--sync") { Description = "Queue a sync right away." };
        public Option<OutputFormat> Format { get; } = CommandSupport.FormatOption();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _connection, _database, _schema, _description, _tags, _teams, _enrichmentOnly, _enrichment, _enrichmentPrefix, _sync, Format })
                command.Options.Add(option);
        }

        public async Task<DatastoreRequest> RequestAsync(QuarryClient client, ParseResult parse, CancellationToken ct) => new()
        {
            ConnectionId = parse.GetValue(_connection) is { } connection ? (await DiscoveryCommands.ResolveConnectionAsync(client, connection, ct)).Id : null,
            Database = parse.GetValue(_database),
            Schema = parse.GetValue(_schema),
            Description = parse.GetValue(_description),
            Tags = parse.GetValue(_tags) is { Length: > 0 } tags ? [.. tags] : null,
            Teams = parse.GetValue(_teams) is { Length: > 0 } teams ? [.. teams] : null,
            EnrichmentOnly = parse.GetValue(_enrichmentOnly),
            EnrichmentDatastoreId = await EnrichmentIdAsync(client, parse.GetValue(_enrichment), ct),
            EnrichmentPrefix = parse.GetValue(_enrichmentPrefix),
            TriggerSync = parse.GetValue(_sync) ? true : null,
        };

        /// <summary>The API clears the link with id 0; on create, 0 is the same as leaving it out.</summary>
        private static async Task<int?> EnrichmentIdAsync(QuarryClient client, string? nameOrId, CancellationToken ct) => nameOrId switch
        {
            null or "" => null,
            _ when string.Equals(nameOrId, "none", StringComparison.OrdinalIgnoreCase) => 0,
            _ => await DiscoveryCommands.ResolveDatastoreIdAsync(client, nameOrId, ct, "--enrichment"),
        };
    }
}
