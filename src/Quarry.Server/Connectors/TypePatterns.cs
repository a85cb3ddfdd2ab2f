namespace Quarry.Server.Connectors;

/// <summary>
/// The shapes of text that read as each field type, as regular expressions that PostgreSQL's, MySQL's and .NET's
/// engines read alike (no <c>\d</c> or <c>\s</c>, no quotes), so a dialect can put them in a statement as literals; and
/// the type tests and boolean readings every dialect builds from them and from its own regular-expression match.
/// </summary>
public static class TypePatterns
{
    private const string Integral = "^ *[-+]?[0-9]+ *$";
    private const string Fractional = "^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)? *$";
    private const string Date = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2} *$";
    private const string Timestamp = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[-+][0-9]{2}(:?[0-9]{2})?)? *$";

    private const string TrueWords = "'true', 't', 'yes', 'y', '1'";
    private const string FalseWords = "'false', 'f', 'no', 'n', '0'";

    /// <summary>The pattern for integral, fractional, numeric, date or timestamp (string and boolean are not patterns).</summary>
    public static string Of(string fieldType) => fieldType switch
    {
        "integral" => Integral,
        "fractional" or "numeric" => Fractional,
        "date" => Date,
        "timestamp" => Timestamp,
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "has no pattern"),
    };

    /// <summary>
    /// <see cref="ISqlDialect.IsType"/> through <paramref name="dialect"/>'s own regular-expression match. A test, never a
    /// cast: a cast that fails would fail the whole statement (PostgreSQL) or read "abc" as 0 (MySQL).
    /// </summary>
    public static string IsType(ISqlDialect dialect, string value, string fieldType) => fieldType switch
    {
        "string" => $"({value} = {value})",
        "boolean" => $"(lower(trim({value})) IN ({TrueWords}, {FalseWords}))",
        _ => dialect.RegexMatch(value, $"'{Of(fieldType)}'"),
    };

    /// <summary>The text <paramref name="value"/> as a boolean: <paramref name="whenTrue"/>, <paramref name="whenFalse"/> or null where it reads as neither.</summary>
    public static string Boolean(string value, string whenTrue, string whenFalse) =>
        $"CASE WHEN lower(trim({value})) IN ({TrueWords}) THEN {whenTrue} WHEN lower(trim({value})) IN ({FalseWords}) THEN {whenFalse} END";
}
