namespace Quarry.Server.Connectors;

/// <summary>
/// The shapes of text that read as each field type, as regular expressions that PostgreSQL's, MySQL's and .NET's
/// engines read alike (no <c>\d</c> or <c>\s</c>, no quotes), so a dialect can put them in a statement as literals.
/// </summary>
public static class TypePatterns
{
    private const string Integral = "^ *[-+]?[0-9]+ *$";
    private const string Fractional = "^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)? *$";
    private const string Date = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2} *$";
    private const string Timestamp = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[-+][0-9]{2}(:?[0-9]{2})?)? *$";

    /// <summary>The pattern for integral, fractional, numeric, date or timestamp (string and boolean are not patterns).</summary>
    public static string Of(string fieldType) => fieldType switch
    {
        "integral" => Integral,
        "fractional" or "numeric" => Fractional,
        "date" => Date,
        "timestamp" => Timestamp,
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "has no pattern"),
    };
}
