namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// SQLite's SQL: identifiers in double quotes (its standard form; it also reads [..] and `..`), a quote inside one
/// doubled. SQLite has no regular expressions of its own: the connector registers <c>regexp</c> (behind the
/// <c>REGEXP</c> operator) and <c>regexp_replace</c> on each connection it opens (<see cref="SqliteFunctions"/>).
/// Dates are text: <c>julianday</c> turns them into numbers that compare in time order.
/// </summary>
public sealed class SqliteDialect : ISqlDialect, IProfileDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public string RegexMatch(string value, string pattern) => $"({value} REGEXP {pattern})";

    public string RegexReplace(string value, string pattern, string replacement) => $"regexp_replace({value}, {pattern}, {replacement})";

    public string TextLength(string value) => $"length({value})";

    public string AsText(string value) => $"CAST({value} AS TEXT)";

    public string IsType(string value, string fieldType) => TypePatterns.IsType(this, value, fieldType);

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        "integral" => $"CASE WHEN {IsType(value, fieldType)} THEN CAST({value} AS INTEGER) END",
        "fractional" or "numeric" => $"CASE WHEN {IsType(value, fieldType)} THEN CAST({value} AS REAL) END",
        "boolean" => TypePatterns.Boolean(value, "1", "0"),
        "date" => $"date({value})",
        "timestamp" => $"datetime({value})",
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "not a field type"),
    };

    public string PointInTime(string value) => $"julianday({value})";

    public string Now => "julianday('now')";

    public string CountIf(string predicate) => $"count(*) FILTER (WHERE {predicate})";

    // Profiling (IProfileDialect): no deviation or quantile aggregate, no table sampling.
    public string AsNumber(string value) => $"CAST({value} AS REAL)";

    public string? StandardDeviation(string number) => null;
}
