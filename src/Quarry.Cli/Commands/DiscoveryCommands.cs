namespace Quarry.Cli.Commands;

/// <summary><c>quarry connections catalogs|schemas</c>: what a connection can see, and which schemas already have datastores.</summary>
internal static class DiscoveryCommands
{
    public static Command Catalogs(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var connection = ConnectionArgument();
        var command = new Command("catalogs", "List the catalogs (PostgreSQL databases) a connection reaches.") { connection, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var id = (await ResolveConnectionAsync(client, parse.GetValue(connection)!, ct)).Id;
            var catalogs = await client.GetAsync<List<DiscoveredName>>($"/api/connections/{id}/catalogs", ct);
            Render(context, parse.GetValue(format), catalogs, id, "Catalog", "catalog(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Schemas(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var connection = ConnectionArgument();
        var catalog = new Option<string?>("--catalog") { Description = "The catalog (PostgreSQL database) to list; default: the connection's database." };
        var command = new Command("schemas", "List the schemas of a catalog, with the datastores that already read them.") { connection, catalog, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var id = (await ResolveConnectionAsync(client, parse.GetValue(connection)!, ct)).Id;
            var schemas = await client.GetAsync<List<DiscoveredName>>($"/api/connections/{id}/schemas" + ConnectionsCommands.Query(("catalog", parse.GetValue(catalog))), ct);
            Render(context, parse.GetValue(format), schemas, id, "Schema", "schema(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> ConnectionArgument() => new("connection") { Description = "The connection's name or id." };

    /// <summary>A connection by id (all digits) or by name.</summary>
    public static async Task<ConnectionDto> ResolveConnectionAsync(QuarryClient client, string nameOrId, CancellationToken ct)
    {
        if (int.TryParse(nameOrId, out var id)) return await client.GetAsync<ConnectionDto>($"/api/connections/{id}", ct);
        var page = await client.GetAsync<Page<ConnectionDto>>($"/api/connections?name={Uri.EscapeDataString(nameOrId)}", ct);
        return page.Items.FirstOrDefault()
            ?? throw new ApiException(System.Net.HttpStatusCode.NotFound, "Not found", $"No connection is named '{nameOrId}'. 'quarry connections list' shows them.");
    }

    /// <summary>A datastore's id, given as an id (all digits) or by name; <paramref name="option"/> names where it came from in the error.</summary>
    public static async Task<int> ResolveDatastoreIdAsync(QuarryClient client, string nameOrId, CancellationToken ct, string? option = null)
    {
        if (int.TryParse(nameOrId, out var id)) return id;
        var page = await client.GetAsync<Page<DatastoreDto>>($"/api/datastores?name={Uri.EscapeDataString(nameOrId)}", ct);
        return page.Items.FirstOrDefault()?.Id
            ?? throw new ApiException(System.Net.HttpStatusCode.NotFound, "Not found",
                $"No datastore you may see is named '{nameOrId}'{(option is null ? "" : $" ({option})")}. 'quarry datastores list' shows them.");
    }

    /// <summary>The id of a list's optional <c>--datastore</c> filter, given as a name or id; null when it was left out.</summary>
    public static async Task<int?> DatastoreFilterAsync(QuarryClient client, string? nameOrId, CancellationToken ct) =>
        nameOrId is null ? null : await ResolveDatastoreIdAsync(client, nameOrId, ct, "--datastore");

    private static void Render(CliContext context, OutputFormat format, List<DiscoveredName> items, int connectionId, string kind, string noun)
    {
        if (format == OutputFormat.Json)
        {
            CommandSupport.WriteJson(context, items);
            return;
        }
        var table = CommandSupport.Table(kind, "Existing datastores");
        foreach (var item in items)
            table.AddRow(CommandSupport.Cell(item.Name),
                item.ExistingDatastores.Count == 0 ? "" : "[yellow]⚠[/] " + CommandSupport.Cell(string.Join(", ", item.ExistingDatastores.Select(d => Describe(d, connectionId)))));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} {noun}");
    }

    /// <summary>An enrichment datastore, or one reading the same database through another connection, says so: both already read the schema.</summary>
    private static string Describe(ExistingDatastore d, int connectionId) =>
        $"{d.Name} (#{d.Id}{(d.EnrichmentOnly ? ", enrichment" : "")}{(d.Connection.Id == connectionId ? "" : $", through connection '{d.Connection.Name}'")})";
}
