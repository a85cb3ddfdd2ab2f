namespace Quarry.Contracts.Quality;

/// <summary>How many fields a rule takes.</summary>
public readonly record struct Arity(int Min, int? Max)
{
    public static readonly Arity None = new(0, 0);
    public static readonly Arity One = new(1, 1);
    public static readonly Arity OneOrMore = new(1, null);
    public static readonly Arity Any = new(0, null);

    public bool Allows(int count) => count >= Min && (Max is null || count <= Max);

    public string Describe() => this switch
    {
        { Min: 0, Max: 0 } => "no fields",
        { Min: 1, Max: 1 } => "exactly one field",
        { Max: null, Min: 0 } => "any number of fields",
        { Max: null } => $"at least {Min} field{(Min == 1 ? "" : "s")}",
        _ => $"between {Min} and {Max} fields",
    };
}

/// <summary>The kinds of value a rule property may hold; each knows how to say what is wrong with a value.</summary>
public enum PropertyKind { Number, NonNegativeInteger, Boolean, Regex, DateTime, ScalarList, FieldType, Text, NonNegativeNumber, PositiveInteger, Duration, Comparison }

public sealed record RuleProperty(string Name, PropertyKind Kind, bool Required);

/// <summary>
/// A supported check rule or field transformation: its name, how many fields it takes and its properties.
/// <paramref name="WholeContainer"/> rules judge the container as a whole (a row count, the newest value, an aggregate,
/// a comparison with another container), so a share of rows allowed to fail (coverage) means nothing for them.
/// </summary>
public sealed record RuleDefinition(string Name, Arity Fields, IReadOnlyList<RuleProperty> Properties, string Summary, bool WholeContainer = false);

/// <summary>
/// The catalog of supported rules and the validation of their properties. Every error names the property
/// (<c>properties.min</c>) and says what is expected, so a config file can be fixed without reading this code.
/// </summary>
public static class CheckRules
{
    /// <summary>The types <c>isType</c> accepts, named as a data engineer would write them.</summary>
    public static readonly IReadOnlyList<string> FieldTypes = ["integral", "fractional", "numeric", "string", "boolean", "date", "timestamp"];

    public static RuleProperty Required(string name, PropertyKind kind) => new(name, kind, true);
    public static RuleProperty Optional(string name, PropertyKind kind) => new(name, kind, false);

    public static readonly IReadOnlyList<RuleDefinition> All =
    [
        new("notNull", Arity.OneOrMore, [], "the fields are never null"),
        new("unique", Arity.OneOrMore, [], "the combination of the fields is unique across rows"),
        new("notNegative", Arity.OneOrMore, [], "the numeric fields are zero or more"),
        new("notFuture", Arity.OneOrMore, [], "the date/time fields are not in the future"),
        new("between", Arity.One, [Required("min", PropertyKind.Number), Required("max", PropertyKind.Number), Optional("inclusive", PropertyKind.Boolean)],
            "the value lies between min and max (inclusive unless inclusive: false)"),
        new("greaterThan", Arity.One, [Required("value", PropertyKind.Number), Optional("inclusive", PropertyKind.Boolean)], "the value is greater than value"),
        new("lessThan", Arity.One, [Required("value", PropertyKind.Number), Optional("inclusive", PropertyKind.Boolean)], "the value is less than value"),
        new("expectedValues", Arity.One, [Required("list", PropertyKind.ScalarList)], "the value is one of list"),
        new("matchesPattern", Arity.One, [Required("pattern", PropertyKind.Regex)], "the value matches the regular expression pattern"),
        new("minLength", Arity.One, [Required("value", PropertyKind.NonNegativeInteger)], "the text is at least value characters long"),
        new("maxLength", Arity.One, [Required("value", PropertyKind.NonNegativeInteger)], "the text is at most value characters long"),
        new("isType", Arity.One, [Required("field_type", PropertyKind.FieldType)], "the text value parses as field_type"),
        new("afterDateTime", Arity.One, [Required("datetime", PropertyKind.DateTime)], "the value is after datetime"),
        new("beforeDateTime", Arity.One, [Required("datetime", PropertyKind.DateTime)], "the value is before datetime"),
        new("satisfiesExpression", Arity.Any, [Required("expression", PropertyKind.Text)], "each row satisfies the SQL boolean expression"),
        .. ContainerRules.All,
    ];

    private static readonly Dictionary<string, RuleDefinition> ByName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public static string KnownList => string.Join(", ", All.Select(r => r.Name));

    /// <summary>The rule named exactly so; rule names are case-sensitive, as in the API they come from.</summary>
    public static RuleDefinition? Find(string rule) => ByName.GetValueOrDefault(rule);

    /// <summary>Suggests the rule a misspelt or wrongly cased name probably meant.</summary>
    public static string? Suggest(string rule) =>
        All.FirstOrDefault(r => string.Equals(r.Name, rule, StringComparison.OrdinalIgnoreCase))?.Name
        ?? All.FirstOrDefault(r => rule.Length > 3 && r.Name.StartsWith(rule[..4], StringComparison.OrdinalIgnoreCase))?.Name;

    /// <summary>Checks the properties of <paramref name="rule"/>, adding errors keyed <c>properties.&lt;name&gt;</c>.</summary>
    public static void ValidateProperties(RuleDefinition rule, IReadOnlyDictionary<string, JsonElement> properties, IDictionary<string, List<string>> errors)
    {
        var known = rule.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in properties.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
            Add(errors, $"properties.{name}", known.Count == 0
                ? $"is not a property of {rule.Name}, which takes no properties."
                : $"is not a property of {rule.Name}; it takes: {string.Join(", ", rule.Properties.Select(p => p.Name))}.");

        foreach (var property in rule.Properties)
        {
            var key = $"properties.{property.Name}";
            if (!properties.TryGetValue(property.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (property.Required) Add(errors, key, $"is required by {rule.Name}: {Expectation(property.Kind)}.");
                continue;
            }
            if (Check(property.Kind, value) is { } problem) Add(errors, key, problem);
        }

        if (rule.Name is "between" or "volumetric" && Number(properties, "min") is double min && Number(properties, "max") is double max && min > max)
            Add(errors, "properties.min", $"must not be greater than max ({min.ToString(CultureInfo.InvariantCulture)} > {max.ToString(CultureInfo.InvariantCulture)}).");
        ContainerRules.ValidateTogether(rule, properties, errors);
    }

    internal static double? Number(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? Check(PropertyKind kind, JsonElement value) => kind switch
    {
        PropertyKind.Number => value.ValueKind == JsonValueKind.Number ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.NonNegativeInteger => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0
            ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.Text => value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? null : $"must be {Expectation(kind)}.",
        PropertyKind.Regex => CheckRegex(value),
        PropertyKind.DateTime => value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.ScalarList => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
            && value.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            ? null : $"must be {Expectation(kind)}.",
        PropertyKind.FieldType => value.ValueKind == JsonValueKind.String && FieldTypes.Contains(value.GetString()!)
            ? null : $"must be one of {string.Join(", ", FieldTypes)}, not {Describe(value)}.",
        PropertyKind.NonNegativeNumber => value.ValueKind == JsonValueKind.Number && value.GetDouble() >= 0 ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.PositiveInteger => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var p) && p >= 1
            ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.Duration => value.ValueKind == JsonValueKind.String && Durations.TryParse(value.GetString(), out _)
            ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        PropertyKind.Comparison => value.ValueKind == JsonValueKind.String && ContainerRules.Comparisons.Contains(value.GetString()!)
            ? null : $"must be {Expectation(kind)}, not {Describe(value)}.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string? CheckRegex(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString())) return $"must be {Expectation(PropertyKind.Regex)}.";
        try
        {
            _ = new Regex(value.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"is not a valid regular expression: {e.Message}";
        }
    }

    private static string Expectation(PropertyKind kind) => kind switch
    {
        PropertyKind.Number => "a number",
        PropertyKind.NonNegativeInteger => "a whole number, 0 or more",
        PropertyKind.Boolean => "true or false",
        PropertyKind.Regex => "a regular expression (text)",
        PropertyKind.DateTime => "an ISO-8601 date or date-time such as 2024-01-31T00:00:00Z",
        PropertyKind.ScalarList => "a non-empty list of values (text, numbers or booleans)",
        PropertyKind.FieldType => $"one of {string.Join(", ", FieldTypes)}",
        PropertyKind.Text => "non-empty text",
        PropertyKind.NonNegativeNumber => "a number, 0 or more",
        PropertyKind.PositiveInteger => "a whole number, 1 or more",
        PropertyKind.Duration => "a duration: a whole number and a unit, s, m, h or d (30m, 24h, 7d)",
        PropertyKind.Comparison => $"one of {string.Join(", ", ContainerRules.Comparisons)}",
        _ => kind.ToString(),
    };

    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{value.GetString()}\"",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.GetRawText(),
    };

    public static void Add(IDictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
        list.Add(message);
    }
}
