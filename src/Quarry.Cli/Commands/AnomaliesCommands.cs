namespace Quarry.Cli.Commands;

/// <summary><c>quarry anomalies list|get|update|archive|delete</c>: what scans found, and its status.</summary>
internal static class AnomaliesCommands
{
    public static Command Create(CliContext context)
    {
        return new Command("anomalies", "Anomalies: checks that failed in a scan, with their failing rows and a status.")
        {
            List(context),
            Get(context),
            AnomalyChangeCommands.Update(context),
            AnomalyChangeCommands.Archive(context),
            AnomalyChangeCommands.Delete(context),
        };
    }

    private static Command List(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var datastore = new Option<string?>("--datastore", "--datastore-id") { Description = "Only anomalies of this datastore (name or id)." };
        var container = new Option<string?>("--container") { Description = "Only anomalies of this container (id, or name with --datastore)." };
        var check = new Option<int?>("--check-id") { Description = "Only anomalies of this quality check." };
        var status = new Option<string?>("--status") { Description = "Only these statuses, comma-separated: Active, Acknowledged, Resolved, Invalid, Duplicate, Archived." };
        var type = new Option<string?>("--type") { Description = "Only this anomaly type: record or shape." };
        var operation = new Option<int?>("--operation-id") { Description = "Only anomalies this scan found." };
        var start = new Option<string?>("--start-date") { Description = "Only anomalies created on or after this day (2026-01-31) or instant." };
        var end = new Option<string?>("--end-date") { Description = "Only anomalies created on or before this day or instant." };
        var archived = new Option<string?>("--archived")
        {
            Description = "exclude (the default without --status), include, or only archived anomalies (Resolved, Invalid, Duplicate, Archived).",
        };
        var command = new Command("list", "List anomalies, newest first; archived ones only when asked for.")
            { datastore, container, check, status, type, operation, start, end, archived, format };
        command.SetOutputAction(context, format, async (parse, client, ct) =>
        {
            var datastoreId = await DiscoveryCommands.DatastoreFilterAsync(client, parse.GetValue(datastore), ct);
            var containerId = parse.GetValue(container) is { } c ? await ResolveContainerIdAsync(client, c, datastoreId, ct) : (int?)null;
            var query = ConnectionsCommands.Query(("datastore", Text(datastoreId)), ("container", Text(containerId)), ("quality_check", Text(parse.GetValue(check))),
                ("status", parse.GetValue(status)), ("anomaly_type", parse.GetValue(type)), ("operation", Text(parse.GetValue(operation))),
                ("start_date", parse.GetValue(start)), ("end_date", parse.GetValue(end)), ("archived", parse.GetValue(archived)));
            return await client.GetAllAsync<AnomalyDto>("/api/anomalies" + query, ct);
        }, (_, items) => Render(context, items));
        return command;
    }

    private static Command Get(CliContext context)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<int>("id") { Description = "The anomaly's id." };
        var records = new Option<bool>("--source-records") { Description = "Show the failing rows the scan kept instead of the anomaly." };
        var command = new Command("get", "Show one anomaly, or its failing rows with --source-records.") { id, records, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var json = parse.GetValue(format) == OutputFormat.Json;
            if (parse.GetValue(records))
            {
                var rows = await client.GetAsync<SourceRecordsDto>($"/api/anomalies/{parse.GetValue(id)}/source-records", ct);
                if (json) CommandSupport.WriteJson(context, rows);
                else RenderRecords(context, rows);
                return ExitCodes.Success;
            }
            var anomaly = await client.GetAsync<AnomalyDto>($"/api/anomalies/{parse.GetValue(id)}", ct);
            if (json) CommandSupport.WriteJson(context, anomaly);
            else Render(context, [anomaly]);
            return ExitCodes.Success;
        });
        return command;
    }

    public static void Render(CliContext context, IReadOnlyList<AnomalyDto> items)
    {
        var table = CommandSupport.Table("ID", "Status", "Datastore", "Container", "Check", "Anomalous", "Created", "Message");
        foreach (var a in items)
            table.AddRow(CommandSupport.Cell(a.Id), CommandSupport.Cell(a.Status), CommandSupport.Cell(a.Datastore.Name), CommandSupport.Cell(a.Container.Name),
                CommandSupport.Cell($"{a.RuleType}({string.Join(", ", a.Fields)})"), CommandSupport.Cell(a.AnomalousRecordsCount),
                CommandSupport.Cell(a.Created.ToString("u", CultureInfo.InvariantCulture)), CommandSupport.Cell(a.Description is { Length: > 0 } note ? $"{a.Message}\nnote: {note}" : a.Message));
        context.Out.Write(table);
        context.Out.WriteLine($"{items.Count} anomal{(items.Count == 1 ? "y" : "ies")}");
    }

    private static void RenderRecords(CliContext context, SourceRecordsDto records)
    {
        if (records.Records.Count == 0)
        {
            context.Out.WriteLine($"Anomaly {records.AnomalyId} kept no source records.");
            return;
        }
        var table = CommandSupport.Table(records.Fields.Select(f => records.AnomalousFields.Contains(f) ? f + " *" : f).ToArray());
        foreach (var row in records.Records)
            table.AddRow(records.Fields.Select(f => row.TryGetProperty(f, out var v) ? CommandSupport.Cell(Value(v)) : "").ToArray());
        context.Out.Write(table);
        context.Out.WriteLine($"{records.Records.Count} row(s); * marks the fields the check asserts.");
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    private static async Task<int> ResolveContainerIdAsync(QuarryClient client, string nameOrId, int? datastoreId, CancellationToken ct)
    {
        if (int.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
        if (datastoreId is null) throw new UsageException($"--container '{nameOrId}': a container is named within a datastore; add --datastore, or give the container's id.");
        var page = await client.GetAsync<Page<ContainerDto>>($"/api/containers?datastore={datastoreId}&name={Uri.EscapeDataString(nameOrId)}", ct);
        return page.Items.FirstOrDefault()?.Id
            ?? throw new ApiException(System.Net.HttpStatusCode.NotFound, "Not found",
                $"Datastore {datastoreId} has no container named '{nameOrId}'. 'quarry containers list --datastore {datastoreId}' shows them.");
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
