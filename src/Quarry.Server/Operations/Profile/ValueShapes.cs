using System.Text.RegularExpressions;

namespace Quarry.Server.Operations.Profile;

/// <summary>
/// What a text column's values may turn out to hold. Dates and numbers are tested with the dialect's own type test
/// (<see cref="ISqlDialect.IsType"/>), the one a scan's <c>isType</c> check runs, so a check inferred from a profile
/// asks exactly what the profile verified; e-mail addresses and UUIDs with a pattern, checked by <c>matchesPattern</c>.
/// </summary>
public sealed record ValueShape(string Name, string? FieldType, string? Pattern)
{
    /// <summary>In the order they are tried: a date is also a timestamp, so the narrower shape comes first.</summary>
    public static readonly IReadOnlyList<ValueShape> All =
    [
        new("date", "date", null),
        new("timestamp", "timestamp", null),
        new("integral", "integral", null),
        new("fractional", "fractional", null),
        new("uuid", null, "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
        new("email", null, "^[^@ ]+@[^@ ]+[.][^@ ]+$"),
    ];

    /// <summary>The same test in .NET, to pick a candidate from a sample's values before the source verifies it.</summary>
    public bool Fits(string value) =>
        Regex.IsMatch(value, Pattern ?? TypePatterns.Of(FieldType!), RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>The condition the source evaluates for a text expression; the pattern, when there is one, as a parameter.</summary>
    public string Condition(ISqlDialect dialect, string text, string patternParameter) =>
        FieldType is not null ? dialect.IsType(text, FieldType) : dialect.RegexMatch(text, patternParameter);

    /// <summary>The first shape every value fits, or null.</summary>
    public static ValueShape? Candidate(IReadOnlyCollection<string> values) =>
        values.Count == 0 ? null : All.FirstOrDefault(shape => values.All(shape.Fits));
}
