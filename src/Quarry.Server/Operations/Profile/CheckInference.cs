namespace Quarry.Server.Operations.Profile;

/// <summary>A check a profile proposes: it holds on every row the profile read.</summary>
public sealed record ProposedCheck(string Rule, IReadOnlyList<string> Fields, IReadOnlyDictionary<string, JsonElement> Properties, string Description);

/// <summary>
/// Proposes checks from a container's profile, each one a fact about the rows profiled: no nulls (notNull), no
/// duplicates (unique), a numeric range (between, or notNegative for keys), a handful of codes (expectedValues), text
/// that reads as dates, numbers, UUIDs or e-mails (isType, matchesPattern), a longest text (maxLength) and no date
/// after today (notFuture), and a row count that changes little from scan to scan (volumetric). Whatever a profile only estimated (distinct counts from a sample) proposes nothing.
/// </summary>
public static class CheckInference
{
    /// <summary>A field with at most this many distinct values, each seen at least twice on average, gets expectedValues.</summary>
    public const int MaxExpectedValues = 10;

    /// <summary>The change in row count, from one scan to the next, that an inferred volumetric check allows.</summary>
    public const int VolumetricTolerancePercent = 10;

    public static List<ProposedCheck> Propose(ContainerStats container, DateTime now)
    {
        var checks = new List<ProposedCheck>();
        if (container.RecordCount == 0) return checks;
        // Compared with the previous scans' counts rather than the profile's, so a sample's count is no worse a start
        // and a table that grows steadily keeps passing; the first scan after activation records the baseline.
        checks.Add(new("volumetric", [], new Dictionary<string, JsonElement> { ["tolerance_percent"] = JsonSerializer.SerializeToElement(VolumetricTolerancePercent) },
            $"{container.RecordCount:N0} rows profiled; each scan's row count within {VolumetricTolerancePercent}% of the previous scan's"));
        foreach (var field in container.Fields.Where(f => f.Column.HasValues))
        {
            var name = field.Column.Name;
            void Add(string rule, string why, params (string Key, object Value)[] properties) =>
                checks.Add(new(rule, [name], properties.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value)), why));
            var nonNull = field.RecordCount - field.NullCount;
            var exactDistinct = field.DistinctApproximate ? null : field.DistinctCount;

            if (field.NullCount == 0) Add("notNull", $"no nulls in {field.RecordCount:N0} rows");
            var unique = field.NullCount == 0 && field.RecordCount > 1 && exactDistinct == field.RecordCount && field.Column.Kind != FieldKind.Boolean;
            if (unique) Add("unique", $"{field.RecordCount:N0} rows, all different");
            var codes = exactDistinct is long d and > 0 and <= MaxExpectedValues && nonNull >= 2 * d && field.TopValues.Count == d
                && field.Column.Kind is FieldKind.Text or FieldKind.Number && field.Shape is null or { Name: "integral" };

            switch (field.Column.Kind)
            {
                case FieldKind.Number when ContainerProfiler.ToDouble(field.Min) is double min && ContainerProfiler.ToDouble(field.Max) is double max:
                    if (codes) Add("expectedValues", $"only {exactDistinct} values", ("list", field.TopValues.Select(v => Number(v.Value)).OrderBy(v => v).ToList()));
                    else if (unique && min >= 0) Add("notNegative", $"smallest value {Text(field.Min)}");
                    else if (!unique) Add("between", $"values from {Text(field.Min)} to {Text(field.Max)}", ("min", Math.Floor(min)), ("max", Math.Ceiling(max)));
                    break;
                case FieldKind.Text:
                    if (codes) Add("expectedValues", $"only {exactDistinct} values", ("list", field.TopValues.Select(v => v.Value).Order(StringComparer.Ordinal).ToList()));
                    if (field.Shape is { FieldType: { } type }) Add("isType", $"every value reads as {field.Shape.Name}", ("field_type", type));
                    else if (field.Shape is { Pattern: { } pattern }) Add("matchesPattern", $"every value is a{(field.Shape.Name == "email" ? "n e-mail address" : " UUID")}", ("pattern", pattern));
                    if (field.MaxLength is int longest && longest > 0) Add("maxLength", $"longest value {longest} characters", ("value", longest));
                    break;
                case FieldKind.Date or FieldKind.Timestamp when PointInTime(field.Max) is DateTime latest && latest <= now:
                    Add("notFuture", $"latest value {Text(field.Max)}");
                    break;
            }
        }
        return checks;
    }

    /// <summary>A date or time as the driver read it, or as ISO-8601 text (SQLite keeps dates as text).</summary>
    private static DateTime? PointInTime(object? value) => value switch
    {
        DateTime time => time,
        DateTimeOffset time => time.UtcDateTime,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        string text when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => null,
    };

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A profiled value as text: numbers and times in invariant, sortable forms.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        DateTime time when time.TimeOfDay == TimeSpan.Zero && time.Kind != DateTimeKind.Utc => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
