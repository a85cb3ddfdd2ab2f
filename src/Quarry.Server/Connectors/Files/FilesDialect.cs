namespace Quarry.Server.Connectors.Files;

/// <summary>
/// DuckDB's SQL: identifiers in double quotes (a quote inside one doubled), parameters as <c>$name</c>, regular
/// expressions with <c>regexp_matches</c>, <c>TRY_CAST</c> for values that may not convert, and <c>FILTER</c> counts.
/// A container reads as <c>"schema"."name"</c>: a view the connector creates over its files before each statement.
/// </summary>
public sealed class FilesDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public string ParameterMarker(string name) => "$" + name;

    public string RegexMatch(string value, string pattern) => $"regexp_matches({value}, {pattern})";

    public string RegexReplace(string value, string pattern, string replacement) => $"regexp_replace({value}, {pattern}, {replacement}, 'g')";

    public string TextLength(string value) => $"length({value})";

    public string IsType(string value, string fieldType) => fieldType switch
    {
        "string" => $"({value} = {value})",
        "boolean" => $"(lower(trim({value})) IN ('true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', '1', '0'))",
        _ => $"regexp_matches({value}, '{TypePatterns.Of(fieldType)}')",
    };

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        "boolean" => $"CASE WHEN lower(trim({value})) IN ('true', 't', 'yes', 'y', '1') THEN true WHEN lower(trim({value})) IN ('false', 'f', 'no', 'n', '0') THEN false END",
        _ => $"CASE WHEN {IsType(value, fieldType)} THEN TRY_CAST(trim({value}) AS {SqlType(fieldType)}) END",
    };

    public string AsText(string value) => $"CAST({value} AS VARCHAR)";

    public string Now => "now()";

    public string CountIf(string predicate) => $"count(*) FILTER (WHERE {predicate})";

    private static string SqlType(string fieldType) => fieldType switch
    {
        "integral" => "BIGINT",
        "fractional" => "DOUBLE",
        "numeric" => "DECIMAL(38, 10)",
        "date" => "DATE",
        "timestamp" => "TIMESTAMPTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "not a field type"),
    };
}
