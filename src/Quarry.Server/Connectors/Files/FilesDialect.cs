namespace Quarry.Server.Connectors.Files;

/// <summary>
/// DuckDB's SQL: identifiers in double quotes (a quote inside one doubled), parameters as <c>$name</c>, regular
/// expressions with <c>regexp_matches</c>, <c>TRY_CAST</c> for values that may not convert, and <c>FILTER</c> counts.
/// A container reads as <c>"schema"."name"</c>: a view the connector creates over its files before each statement.
/// A profile (<see cref="IProfileDialect"/>) samples with DuckDB's reservoir sample; its quartiles come from numbering
/// each column's sorted values, the nearest rank every source uses, rather than from DuckDB's own quantile aggregate.
/// </summary>
public sealed class FilesDialect : ISqlDialect, IProfileDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public string ParameterMarker(string name) => "$" + name;

    public string RegexMatch(string value, string pattern) => $"regexp_matches({value}, {pattern})";

    public string RegexReplace(string value, string pattern, string replacement) => $"regexp_replace({value}, {pattern}, {replacement}, 'g')";

    public string TextLength(string value) => $"length({value})";

    public string IsType(string value, string fieldType) => TypePatterns.IsType(this, value, fieldType);

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        "boolean" => TypePatterns.Boolean(value, "true", "false"),
        _ => $"CASE WHEN {IsType(value, fieldType)} THEN TRY_CAST(trim({value}) AS {SqlType(fieldType)}) END",
    };

    public string AsText(string value) => $"CAST({value} AS VARCHAR)";

    public string Now => "now()";

    public string CountIf(string predicate) => $"count(*) FILTER (WHERE {predicate})";

    // Profiling (IProfileDialect).
    public FieldKind KindOf(string declaredType)
    {
        // Nested types name their members' types (STRUCT(a INTEGER), MAP(VARCHAR, DOUBLE)): they are only counted.
        var type = declaredType.Trim().ToUpperInvariant();
        string[] nested = ["STRUCT", "MAP", "UNION", "LIST"];
        if (nested.Any(n => type.StartsWith(n, StringComparison.Ordinal)) || type.EndsWith(']')) return FieldKind.Other;
        if (type.StartsWith("TIME", StringComparison.Ordinal) && !type.StartsWith("TIMESTAMP", StringComparison.Ordinal)) return FieldKind.Other;
        return DeclaredTypes.KindOf(declaredType);
    }

    public string AsNumber(string value) => $"CAST({value} AS DOUBLE)";

    // Reservoir sampling reads every row but keeps exactly the number asked; REPEATABLE makes the same rows come back each time.
    public string? SampleRowsClause(long rows) => $"USING SAMPLE reservoir({rows.ToString(System.Globalization.CultureInfo.InvariantCulture)} ROWS) REPEATABLE (42)";

    public bool GroupingSets => true;

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
