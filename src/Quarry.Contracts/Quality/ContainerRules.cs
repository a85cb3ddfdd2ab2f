using static Quarry.Contracts.Quality.CheckRules;

namespace Quarry.Contracts.Quality;

/// <summary>
/// The rules that look beyond one row: another container's values (existsIn, isReplicaOf, aggregationComparison),
/// the container's row count over time (volumetric) and its newest value (freshness). A scan gives each its own
/// statement. <c>ref_datastore</c>, when given, names another datastore of the same connection (and database), so one
/// statement can read both containers.
/// </summary>
public static class ContainerRules
{
    /// <summary>How aggregationComparison compares its two aggregates.</summary>
    public static readonly IReadOnlyList<string> Comparisons = ["eq", "lt", "lte", "gt", "gte"];

    private static readonly RuleProperty RefDatastore = Optional("ref_datastore", PropertyKind.Text);
    private static readonly RuleProperty RefContainer = Required("ref_container", PropertyKind.Text);

    public static readonly IReadOnlyList<RuleDefinition> All =
    [
        new("existsIn", Arity.One, [RefContainer, Required("ref_field", PropertyKind.Text), RefDatastore],
            "every value of the field is found in ref_field of ref_container (in ref_datastore when given)"),
        new("volumetric", Arity.None,
            [Optional("min", PropertyKind.NonNegativeInteger), Optional("max", PropertyKind.NonNegativeInteger),
             Optional("tolerance_percent", PropertyKind.NonNegativeNumber), Optional("history", PropertyKind.PositiveInteger)],
            "the row count lies between min and max, or within tolerance_percent of the average of the last history scans' counts",
            WholeContainer: true),
        new("freshness", Arity.One, [Required("max_age", PropertyKind.Duration)], "the newest value of the field is no older than max_age (30m, 24h, 7d)",
            WholeContainer: true),
        new("aggregationComparison", Arity.None,
            [Required("expression", PropertyKind.Text), RefContainer, Required("ref_expression", PropertyKind.Text), RefDatastore,
             Optional("ref_filter", PropertyKind.Text), Optional("comparison", PropertyKind.Comparison),
             Optional("tolerance", PropertyKind.NonNegativeNumber), Optional("tolerance_percent", PropertyKind.NonNegativeNumber)],
            "the aggregate expression of this container compares (eq, lt, lte, gt, gte) to ref_expression of ref_container, within tolerance",
            WholeContainer: true),
        new("isReplicaOf", Arity.Any, [RefContainer, RefDatastore],
            "the container holds the same rows as ref_container, on the fields (all fields both have when none are given)",
            WholeContainer: true),
    ];

    /// <summary>True for the rules a scan evaluates with statements of their own.</summary>
    public static bool Handles(string rule) => All.Any(r => r.Name == rule);

    /// <summary>The rules whose anomaly is about the container as a whole (its shape), not about failing rows.</summary>
    public static bool IsShape(string rule) => rule is "volumetric" or "freshness" or "aggregationComparison";

    /// <summary>The rules whose properties name another container.</summary>
    public static bool References(string rule) => rule is "existsIn" or "aggregationComparison" or "isReplicaOf";

    /// <summary>The problems no single property shows: properties that go together, or exclude each other.</summary>
    internal static void ValidateTogether(RuleDefinition rule, IReadOnlyDictionary<string, JsonElement> properties, IDictionary<string, List<string>> errors)
    {
        bool Has(string name) => properties.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;
        if (rule.Name == "volumetric")
        {
            var range = Has("min") || Has("max");
            if (!range && !Has("tolerance_percent"))
                Add(errors, "properties", "volumetric needs a fixed range (min, max or both) or tolerance_percent (the change allowed from the previous scans' row counts).");
            else if (range && Has("tolerance_percent"))
                Add(errors, "properties.tolerance_percent", "can't be given with min or max: choose a fixed range or a change from the previous scans.");
            if (Has("history") && !Has("tolerance_percent"))
                Add(errors, "properties.history", "is the number of previous scans tolerance_percent compares with; give tolerance_percent too, or leave history out.");
        }
        if (rule.Name == "aggregationComparison" && Has("tolerance") && Has("tolerance_percent"))
            Add(errors, "properties.tolerance_percent", "can't be given with tolerance: choose an absolute or a relative tolerance.");
    }

    /// <summary>The text of a property, or null when it is not given.</summary>
    public static string? Text(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;
}

/// <summary>Durations as people write them in a freshness check: a whole number and a unit (s, m, h, d).</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length < 2 || !long.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 36_500L * 86_400) return false;
        duration = char.ToLowerInvariant(trimmed[^1]) switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' when n <= 36_500L * 1440 => TimeSpan.FromMinutes(n),
            'h' when n <= 36_500L * 24 => TimeSpan.FromHours(n),
            'd' when n <= 36_500 => TimeSpan.FromDays(n),
            _ => default,
        };
        return duration > TimeSpan.Zero;
    }
}
