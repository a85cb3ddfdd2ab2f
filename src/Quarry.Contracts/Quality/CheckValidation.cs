namespace Quarry.Contracts.Quality;

/// <summary>
/// What a quality check states, checked without its container's catalog: the server checks every request with it,
/// and the CLI checks the files of a config import with it before sending anything, so both say the same.
/// </summary>
public static class CheckValidation
{
    /// <summary>
    /// Every problem of a new check that needs no catalog: the rule, how many fields it takes, its properties,
    /// coverage and size limits. Config import checks these for checks on tables that are not synced yet, before
    /// anything of the config is written; the CLI checks them in the files before sending anything.
    /// </summary>
    public static Dictionary<string, List<string>> ValidateNew(QualityCheckBody check)
    {
        var errors = new Dictionary<string, List<string>>();
        var fields = CleanNames(check.Fields, "fields", errors);
        var uid = string.IsNullOrWhiteSpace(check.Uid) ? null : check.Uid.Trim();
        Validate(check.Rule?.Trim(), fields, check.Properties ?? [], check.Coverage ?? 1, uid, check.Description,
            check.Tags is null ? null : CleanTags(check.Tags), errors);
        return errors;
    }

    /// <summary>Checks what a check states without its catalog, adding errors keyed by the request field they are about.</summary>
    public static RuleDefinition? Validate(string? ruleName, List<string> fields, IReadOnlyDictionary<string, JsonElement> properties,
        double coverage, string? uid, string? description, List<string>? tags, Dictionary<string, List<string>> errors)
    {
        var rule = string.IsNullOrEmpty(ruleName) ? null : CheckRules.Find(ruleName);
        if (string.IsNullOrEmpty(ruleName)) CheckRules.Add(errors, "rule", $"is required. Known rules: {CheckRules.KnownList}.");
        else if (rule is null)
            CheckRules.Add(errors, "rule", $"'{ruleName}' is not a known rule.{(CheckRules.Suggest(ruleName) is { } s ? $" Did you mean '{s}'?" : "")} Known rules: {CheckRules.KnownList}.");
        if (rule is not null)
        {
            if (!rule.Fields.Allows(fields.Count))
                CheckRules.Add(errors, "fields", $"{rule.Name} takes {rule.Fields.Describe()}; {fields.Count} given.");
            CheckRules.ValidateProperties(rule, properties, errors);
            if (rule.WholeContainer && coverage != 1 && !double.IsNaN(coverage))
                CheckRules.Add(errors, "coverage", $"{rule.Name} judges the container as a whole, not a share of its rows; leave coverage out (it is 1).");
        }
        if (double.IsNaN(coverage) || coverage is <= 0 or > 1)
            CheckRules.Add(errors, "coverage", "must be more than 0 and at most 1 (the share of rows that must pass; 1 = all).");
        if (InputLimits.TooLong(uid, InputLimits.NameLength) is { } uidTooLong) CheckRules.Add(errors, "uid", uidTooLong);
        if (InputLimits.TooLong(description?.Trim(), InputLimits.DescriptionLength) is { } tooLong) CheckRules.Add(errors, "description", tooLong);
        if (tags is not null && InputLimits.TagsProblem(tags) is { } tagsProblem) CheckRules.Add(errors, "tags", tagsProblem);
        return rule;
    }

    public static List<string> CleanTags(IEnumerable<string> tags) =>
        tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Names trimmed, blanks dropped, each listed once; a name listed twice is an error under <paramref name="key"/>.</summary>
    public static List<string> CleanNames(IEnumerable<string>? names, string key, IDictionary<string, List<string>> errors)
    {
        var cleaned = (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
        foreach (var duplicate in cleaned.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            CheckRules.Add(errors, key, $"'{duplicate.Key}' is listed more than once.");
        return cleaned.Distinct(StringComparer.Ordinal).ToList();
    }
}
