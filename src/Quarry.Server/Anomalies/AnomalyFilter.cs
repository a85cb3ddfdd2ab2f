using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Anomalies;

/// <summary>
/// The filters of <c>GET /api/anomalies</c>, named as Qualytics clients send them. <c>status</c>, <c>rule_type</c> and
/// <c>tag</c> take several values (repeated, or separated by commas). Without <c>status</c>, archived anomalies
/// (Resolved, Invalid, Duplicate, Archived) are left out unless <c>archived=include</c> or <c>only</c> says otherwise.
/// </summary>
public sealed record AnomalyFilter(
    int? Datastore,
    int? Container,
    [property: FromQuery(Name = "quality_check")] int? QualityCheck,
    int? Check,
    int? Operation,
    string[]? Status,
    [property: FromQuery(Name = "anomaly_type")] string? AnomalyType,
    [property: FromQuery(Name = "rule_type")] string[]? RuleType,
    string[]? Tag,
    [property: FromQuery(Name = "start_date")] string? StartDate,
    [property: FromQuery(Name = "end_date")] string? EndDate,
    string? Archived,
    [property: FromQuery(Name = "sort_created")] string? SortCreated)
{
    /// <summary>Every query parameter the list takes; any other is refused (<see cref="KnownQueryParameters"/>).</summary>
    public static readonly string[] Parameters =
    [
        "datastore", "container", "quality_check", "check", "operation", "status", "anomaly_type", "rule_type", "tag",
        "start_date", "end_date", "archived", "sort_created", "page", "size",
    ];

    public IQueryable<Anomaly> Apply(IQueryable<Anomaly> query, QuarryDb db)
    {
        if (Datastore is int datastore) query = query.Where(a => a.DatastoreId == datastore);
        if (Container is int container) query = query.Where(a => a.ContainerId == container);
        if (QualityCheck is int qc && Check is int c && qc != c)
            throw new BadRequestProblem($"The query parameters 'quality_check' ({qc}) and 'check' ({c}) name different checks; give one of them.");
        if ((QualityCheck ?? Check) is int check) query = query.Where(a => a.CheckId == check);
        if (Operation is int operation)
            query = query.Where(a => a.OperationId == operation || a.LastOperationId == operation
                || db.CheckResults.Any(r => r.OperationId == operation && r.AnomalyId == a.Id));

        var statuses = Values(Status).Select(s => AnomalyStatuses.Parse(s, "status")).Distinct().ToList();
        if (statuses.Count > 0) query = query.Where(a => statuses.Contains(a.Status));
        var open = AnomalyStatus.Open.ToList();
        switch (ArchivedMode(statuses.Count > 0))
        {
            case "exclude": query = query.Where(a => open.Contains(a.Status)); break;
            case "only": query = query.Where(a => !open.Contains(a.Status)); break;
        }

        if (!string.IsNullOrWhiteSpace(AnomalyType))
        {
            var type = AnomalyType.Trim().ToLowerInvariant();
            if (type is not (Contracts.Anomalies.AnomalyType.Record or Contracts.Anomalies.AnomalyType.Shape))
                throw InvalidInputProblem.Single("anomaly_type", $"'{AnomalyType}' is not an anomaly type; use record or shape.");
            query = query.Where(a => a.AnomalyType == type);
        }
        var rules = Values(RuleType);
        if (rules.Count > 0) query = query.Where(a => rules.Contains(a.Rule));
        // An anomaly carries its check's tags, as in Qualytics: the check's tag list is stored as JSON text.
        foreach (var tag in Values(Tag).Select(t => JsonSerializer.Serialize(t)))
            query = query.Where(a => db.QualityChecks.Any(q => q.Id == a.CheckId && q.TagsJson.Contains(tag)));

        if (Date(StartDate, "start_date", endOfDay: false) is DateTime from) query = query.Where(a => a.CreatedAt >= from);
        if (Date(EndDate, "end_date", endOfDay: true) is DateTime to) query = query.Where(a => a.CreatedAt < to);

        return (SortCreated?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "desc" => query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id),
            "asc" => query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id),
            _ => throw InvalidInputProblem.Single("sort_created", $"'{SortCreated}' is not an order; use asc or desc."),
        };
    }

    /// <summary>exclude, include or only; a status filter alone says which statuses it wants, so it includes archived ones.</summary>
    private string ArchivedMode(bool statusGiven)
    {
        if (string.IsNullOrWhiteSpace(Archived)) return statusGiven ? "include" : "exclude";
        return Archived.Trim().ToLowerInvariant() switch
        {
            "exclude" or "false" => "exclude",
            "include" or "true" => "include",
            "only" => "only",
            _ => throw InvalidInputProblem.Single("archived", $"'{Archived}' is not allowed; use exclude (the default), include or only."),
        };
    }

    private static List<string> Values(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A day (<c>2026-01-31</c>, the whole day in UTC) or an instant (ISO 8601); <paramref name="endOfDay"/> makes a day's end exclusive bound the next midnight.</summary>
    private static DateTime? Date(string? value, string field, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc).AddDays(endOfDay ? 1 : 0);
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant))
            return endOfDay ? instant.AddTicks(1) : instant;
        throw InvalidInputProblem.Single(field, $"'{value}' is not a date; write a day as 2026-01-31 or an instant as 2026-01-31T12:00:00Z.");
    }
}
