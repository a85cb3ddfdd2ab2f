namespace Quarry.Server.Connectors.MySql;

/// <summary>
/// MySQL's SQL (and MariaDB's): identifiers in backticks, a backtick inside one doubled (whatever the server's
/// sql_mode); regular expressions with <c>REGEXP</c>; no <c>FILTER</c> clause, so counts use the standard CASE form.
/// A profile (<see cref="IProfileDialect"/>) has no sample clause here, so a sample is a bounded read of the table's
/// first rows; no quantile aggregate either (MariaDB's PERCENTILE_DISC is a window function), so the quartiles come
/// from numbering each column's sorted values.
/// </summary>
public sealed class MySqlDialect : ISqlDialect, IProfileDialect
{
    public string QuoteIdentifier(string identifier) => Quote(identifier);

    internal static string Quote(string identifier) => "`" + identifier.Replace("`", "``") + "`";

    public string RegexMatch(string value, string pattern) => $"({value} REGEXP {pattern})";

    // Both MySQL's and MariaDB's REGEXP_REPLACE replace every match.
    public string RegexReplace(string value, string pattern, string replacement) => $"REGEXP_REPLACE({value}, {pattern}, {replacement})";

    public string AsText(string value) => $"CAST({value} AS CHAR)";

    public string IsType(string value, string fieldType) => TypePatterns.IsType(this, value, fieldType);

    public string CastTo(string value, string fieldType) => fieldType switch
    {
        "string" => AsText(value),
        "boolean" => TypePatterns.Boolean(value, "1", "0"),
        _ => $"CASE WHEN {IsType(value, fieldType)} THEN CAST(TRIM({value}) AS {SqlType(fieldType)}) END",
    };

    public string Now => "NOW(6)";

    // Profiling (IProfileDialect).
    public FieldKind KindOf(string declaredType)
    {
        // An ENUM's or SET's declared type lists its values (enum('paid','point')): the words in them say nothing of the kind.
        var type = declaredType.Trim().ToLowerInvariant();
        if (type.StartsWith("enum", StringComparison.Ordinal) || type.StartsWith("set", StringComparison.Ordinal)) return FieldKind.Text;
        if (type.StartsWith("year", StringComparison.Ordinal) || type.StartsWith("time", StringComparison.Ordinal) && !type.StartsWith("timestamp", StringComparison.Ordinal)
            || type.StartsWith("bit", StringComparison.Ordinal)) return FieldKind.Other;
        return DeclaredTypes.KindOf(type);
    }

    public string AsNumber(string value) => $"({value} + 0e0)";

    public string CteHint(bool materialized) => "";

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
