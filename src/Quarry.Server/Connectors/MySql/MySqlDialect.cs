namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// MySQL's SQL (and MariaDB's): identifiers in backticks, a backtick inside one doubled (whatever the server's
/// sql_mode); regular expressions with <c>REGEXP</c>; no <c>FILTER</c> clause, so counts use the standard CASE form.
/// </summary>
public sealed class MySqlDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => Quote(identifier);

    internal static string Quote(string identifier) => "`" + identifier.Replace("`", "``") + "`";

    public string RegexMatch(string value, string pattern) => $"({value} REGEXP {pattern})";

    // Both MySQL's and MariaDB's REGEXP_REPLACE replace every match.
    public string RegexReplace(string value, string pattern, string replacement) => $"REGEXP_REPLACE({value}, {pattern}, {replacement})";

    public string AsText(string value) => $"CAST({value} AS CHAR)";

    // Tested with a regular expression, not a cast: MySQL turns "abc" into 0 with a warning, or fails in strict mode.
    public string IsType(string value, string fieldType) => fieldType switch
    {
        "string" => $"({value} = {value})",
        "boolean" => $"(LOWER(TRIM({value})) IN ('true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', '1', '0'))",
        _ => $"({value} REGEXP '{TypePatterns.Of(fieldType)}')",
    };

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        "boolean" => $"CASE WHEN LOWER(TRIM({value})) IN ('true', 't', 'yes', 'y', '1') THEN 1 WHEN LOWER(TRIM({value})) IN ('false', 'f', 'no', 'n', '0') THEN 0 END",
        _ => $"CASE WHEN {IsType(value, fieldType)} THEN CAST(TRIM({value}) AS {SqlType(fieldType)}) END",
    };

    public string Now => "NOW(6)";

    private static string SqlType(string fieldType) => fieldType switch
    {
        "integral" => "SIGNED",
        "fractional" => "DOUBLE",
        "numeric" => "DECIMAL(65, 10)",
        "date" => "DATE",
        "timestamp" => "DATETIME(6)",
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "not a field type"),
    };
}
