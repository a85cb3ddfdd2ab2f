namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>
/// PostgreSQL's SQL: identifiers in double quotes (a quote inside one doubled), POSIX regular expressions with <c>~</c>,
/// and <c>count(*) FILTER (WHERE …)</c>, which the executor evaluates as cheaply as a hand-written single pass.
/// </summary>
public sealed class PostgreSqlDialect : ISqlDialect, IProfileDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public string RegexMatch(string value, string pattern) => $"({value} ~ {pattern})";

    public string RegexReplace(string value, string pattern, string replacement) => $"regexp_replace({value}, {pattern}, {replacement}, 'g')";

    public string TextLength(string value) => $"char_length({value})";

    public string AsText(string value) => $"({value})::text";

    public string IsType(string value, string fieldType) => TypePatterns.IsType(this, value, fieldType);

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        _ => $"CASE WHEN {IsType(value, fieldType)} THEN ({value})::{SqlType(fieldType)} END",
    };

    public string Now => "now()";

    public string CountIf(string predicate) => $"count(*) FILTER (WHERE {predicate})";

    // Profiling (IProfileDialect).
    public string? Quantile(string value, double fraction) =>
        $"percentile_disc({fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}) WITHIN GROUP (ORDER BY {value})";

    // SYSTEM reads whole pages, so a 1% sample reads about 1% of the table; REPEATABLE gives each pass the same rows.
    public string? SampleClause(string percent) => $"TABLESAMPLE SYSTEM ({percent}) REPEATABLE (42)";

    public string? EstimatedRows(string table) => $"SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass({table})";

    public bool GroupingSets => true;

    // A statement with sorts (count(DISTINCT …), percentile_disc) runs on one core; the streaming aggregates beside it
    // may use parallel workers: side by side, a profile uses more than one of the database's cores.
    public int ConcurrentStatements => 4;

    private static string SqlType(string fieldType) => fieldType switch
    {
        "integral" => "bigint",
        "fractional" => "double precision",
        "numeric" => "numeric",
        "boolean" => "boolean",
        "date" => "date",
        "timestamp" => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(fieldType), fieldType, "not a field type"),
    };
}
