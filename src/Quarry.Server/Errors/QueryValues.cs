namespace Quarry.Server.Errors;

/// <summary>
/// Reading list filters as Qualytics clients send them: a parameter may repeat (<c>?datastore=1&amp;datastore=2</c>) or
/// hold values separated by commas (<c>?datastore=1,2</c>). A value that is not allowed is a 400 naming the parameter.
/// </summary>
public static class QueryValues
{
    public static List<string> Strings(IEnumerable<string?>? values) =>
        (values ?? []).SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();

    public static List<int> Ints(IEnumerable<string?>? values, string parameter) =>
        Strings(values).Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadRequestProblem($"The query parameter '{parameter}' takes ids (e.g. {parameter}=1,2); got '{v}'.")).ToList();

    /// <summary>The allowed value <paramref name="value"/> names, regardless of case.</summary>
    public static string OneOf(string value, IReadOnlyList<string> allowed, string parameter) =>
        allowed.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new BadRequestProblem($"The query parameter '{parameter}' must be one of: {string.Join(", ", allowed)}; got '{value}'.");
}
