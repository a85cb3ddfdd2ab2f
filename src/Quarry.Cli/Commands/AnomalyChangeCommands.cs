namespace Quarry.Cli.Commands;

/// <summary>
/// <c>quarry anomalies update|archive|delete ID…</c>: one id is one request; several are one bulk request, which the
/// server applies to all of them or, when any is refused, to none.
/// </summary>
internal static class AnomalyChangeCommands
{
    private static readonly string[] ArchiveStatuses = [.. AnomalyStatus.All.Except(AnomalyStatus.Open)];

    public static Command Update(CliContext context)
    {
        var ids = IdsArgument();
        var status = new Option<string?>("--status") { Description = $"The new status: {string.Join(", ", AnomalyStatus.All)}." };
        var description = new Option<string?>("--description") { Description = "A note on the anomalies (\"\" clears it)." };
        var format = CommandSupport.FormatOption();
        var command = new Command("update", "Change the status or description of one or more anomalies.") { ids, status, description, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            var targets = Ids(parse.GetValue(ids));
            var (newStatus, newDescription) = (parse.GetValue(status), parse.GetValue(description));
            if (newStatus is null && newDescription is null) throw new UsageException("nothing to change: give --status, --description, or both.");
            if (newStatus is not null) newStatus = Known(newStatus, "--status", AnomalyStatus.All);
            using var client = QuarryClient.FromSettings(context);
            List<AnomalyDto> updated = targets.Count == 1
                ? [await client.PutAsync<AnomalyDto>($"/api/anomalies/{targets[0]}", new AnomalyUpdateRequest { Status = newStatus, Description = newDescription }, ct)]
                : await client.PatchAsync<List<AnomalyDto>>("/api/anomalies",
                    targets.Select(id => new AnomalyBulkUpdateItem { Id = id, Status = newStatus, Description = newDescription }).ToList(), ct);
            if (parse.GetValue(format) == OutputFormat.Json) CommandSupport.WriteJson(context, updated);
            else AnomaliesCommands.Render(context, updated);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Archive(CliContext context)
    {
        var ids = IdsArgument();
        var status = new Option<string>("--status")
        {
            Description = $"Why they are archived: {string.Join(", ", ArchiveStatuses)} (Qualytics' Discarded is Archived).",
            DefaultValueFactory = _ => AnomalyStatus.Archived,
        };
        var command = new Command("archive", "Archive anomalies with a reason: they leave the default list but are kept.") { ids, status };
        command.SetClientAction(context, async (parse, ct) =>
        {
            var targets = Ids(parse.GetValue(ids));
            var reason = Known(parse.GetValue(status)!, "--status", [.. ArchiveStatuses, "Discarded"]);
            using var client = QuarryClient.FromSettings(context);
            if (targets.Count == 1)
                await client.DeleteAsync($"/api/anomalies/{targets[0]}?archive=true&status={Uri.EscapeDataString(reason)}", ct);
            else
                await client.DeleteAsync("/api/anomalies", targets.Select(id => new AnomalyBulkDeleteItem { Id = id, Archive = true, Status = reason }).ToList(), ct);
            context.Out.MarkupLine($"Archived {Describe(targets)} as {reason.EscapeMarkup()}.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var ids = IdsArgument();
        var yes = Prompts.YesOption();
        var command = new Command("delete", "Delete anomalies for good, with their source records ('archive' keeps them).") { ids, yes };
        command.SetClientAction(context, async (parse, ct) =>
        {
            var targets = Ids(parse.GetValue(ids));
            if (!Prompts.Confirm(context, parse.GetValue(yes), $"Delete {Describe(targets)} for good?")) return ExitCodes.Cancelled;
            using var client = QuarryClient.FromSettings(context);
            if (targets.Count == 1) await client.DeleteAsync($"/api/anomalies/{targets[0]}", ct);
            else await client.DeleteAsync("/api/anomalies", targets.Select(id => new AnomalyBulkDeleteItem { Id = id, Archive = false }).ToList(), ct);
            context.Out.MarkupLine($"Deleted {Describe(targets)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string[]> IdsArgument() => new("id")
    {
        Description = "The anomaly ids: one, or several separated by spaces or commas (12 13 or 12,13).",
        Arity = ArgumentArity.OneOrMore,
    };

    private static List<int> Ids(string[]? values)
    {
        var ids = new List<int>();
        foreach (var part in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                throw new UsageException($"'{part}' is not an anomaly id; give numbers such as 12 or 12,13 ('quarry anomalies list' shows them).");
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids.Count > 0 ? ids : throw new UsageException("give at least one anomaly id.");
    }

    private static string Known(string value, string option, IReadOnlyList<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException($"{option}: '{value}' is not allowed; use one of {string.Join(", ", allowed)}.");

    private static string Describe(List<int> ids) =>
        ids.Count == 1 ? $"anomaly {ids[0]}" : $"{ids.Count} anomalies ({string.Join(", ", ids)})";
}
