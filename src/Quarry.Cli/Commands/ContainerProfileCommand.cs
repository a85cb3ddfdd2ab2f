namespace Quarry.Cli.Commands;

/// <summary><c>quarry containers profile ID|NAME [--datastore NAME|ID] [--operation-id N]</c>: a container's field profiles as a table.</summary>
internal static class ContainerProfileCommand
{
    public static Command Create(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var target = new Argument<string>("container") { Description = "The container's id, or its name (with --datastore when several datastores have one so named)." };
        var datastore = new Option<string?>("--datastore", "--datastore-id") { Description = "The datastore of a container given by name (name or id)." };
        var operation = new Option<int?>("--operation-id") { Description = "An older profile (its operation id); the latest when left out." };
        var command = new Command("profile", "Show what the latest profile found in each field of a container.") { target, datastore, operation, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var id = await ResolveAsync(client, parse.GetValue(target)!, parse.GetValue(datastore), ct);
            var query = parse.GetValue(operation) is int op ? $"?operation_id={op}" : "";
            var profiles = await client.GetAllAsync<FieldProfileDto>($"/api/containers/{id}/field-profiles{query}", ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                CommandSupport.WriteJson(context, profiles);
                return ExitCodes.Success;
            }
            if (profiles.Count == 0)
            {
                var container = await client.GetAsync<ContainerDetailDto>($"/api/containers/{id}", ct);
                context.Out.WriteLine($"Container {id} has not been profiled yet: run 'quarry operations profile --datastore-id {container.DatastoreId} --wait'.");
                return ExitCodes.Success;
            }
            var table = CommandSupport.Table("Field", "Type", "Holds", "Rows", "Nulls", "Distinct", "Min", "Max", "Mean", "Most frequent");
            foreach (var p in profiles)
                table.AddRow(CommandSupport.Cell(p.FieldName), CommandSupport.Cell(p.DeclaredType), CommandSupport.Cell(p.InferredType),
                    CommandSupport.Cell(p.RecordCount.ToString("N0", CultureInfo.InvariantCulture)), CommandSupport.Cell(p.NullCount.ToString("N0", CultureInfo.InvariantCulture)),
                    CommandSupport.Cell(p.DistinctCount is long d ? (p.DistinctApproximate ? "~" : "") + d.ToString("N0", CultureInfo.InvariantCulture) : ""),
                    CommandSupport.Cell(Short(p.Min)), CommandSupport.Cell(Short(p.Max)), CommandSupport.Cell(p.Mean?.ToString("G6", CultureInfo.InvariantCulture)),
                    CommandSupport.Cell(string.Join(", ", p.TopValues.Take(3).Select(v => $"{Short(v.Value)} ({v.Count:N0})"))));
            context.Out.Write(table);
            var first = profiles[0];
            context.Out.WriteLine($"{profiles.Count} field(s), profile {first.OperationId} of {first.Created:u}{(first.Sampled ? $", on a sample of {first.RecordCount:N0} rows" : "")}; ~ marks an estimate.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Short(string? value) => value is { Length: > 24 } ? value[..23] + "…" : value;

    private static async Task<int> ResolveAsync(QuarryClient client, string target, string? datastore, CancellationToken ct)
    {
        if (int.TryParse(target, out var id)) return id;
        var scope = datastore is null ? "" : $"&datastore={await DiscoveryCommands.ResolveDatastoreIdAsync(client, datastore, ct, "--datastore")}";
        var found = (await client.GetAsync<Page<ContainerDto>>($"/api/containers?name={Uri.EscapeDataString(target)}{scope}", ct)).Items;
        return found.Count switch
        {
            1 => found[0].Id,
            0 => throw new ApiException(System.Net.HttpStatusCode.NotFound, "Not found",
                datastore is null
                    ? $"No container you may see is named '{target}'. 'quarry datastores list' shows the datastores, and 'quarry containers list --datastore NAME' their containers."
                    : $"No container you may see in datastore '{datastore}' is named '{target}'. 'quarry containers list --datastore {datastore}' shows them."),
            _ => throw new ApiException(System.Net.HttpStatusCode.BadRequest, "Ambiguous",
                $"{found.Count} datastores have a container named '{target}' (datastores {string.Join(", ", found.Select(c => c.DatastoreId))}); add --datastore, or give the container's id."),
        };
    }
}
