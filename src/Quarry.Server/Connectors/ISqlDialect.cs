namespace Quarry.Server.Connectors;

/// <summary>
/// The small SQL questions a planner asks a connector, so that it composes queries without switching on a type.
/// Identifiers reach SQL only through <see cref="QuoteIdentifier"/>; values only as parameters (<see cref="ParameterMarker"/>).
/// Every method but <see cref="QuoteIdentifier"/> has a standard-SQL answer here: a dialect overrides only what its
/// database says differently. Arguments named <c>value</c>, <c>predicate</c> or <c>pattern</c> are SQL expressions
/// the planner already composed (a quoted column, a parameter marker); the answer is an expression of the same kind.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The identifier quoted so that any name (spaces, quotes, keywords, case) reads as itself.</summary>
    string QuoteIdentifier(string identifier);

    /// <summary>How a statement names the parameter <paramref name="name"/> (letters, digits and '_' only).</summary>
    string ParameterMarker(string name) => "@" + name;

    /// <summary>A container of <paramref name="schema"/> as a statement's FROM names it; the connection is already in the datastore's catalog.</summary>
    string QualifiedTable(string schema, string table) => QuoteIdentifier(schema) + "." + QuoteIdentifier(table);

    /// <summary>True when the text <paramref name="value"/> matches the regular expression <paramref name="pattern"/> anywhere (not anchored).</summary>
    string RegexMatch(string value, string pattern) => $"REGEXP_LIKE({value}, {pattern})";

    /// <summary><paramref name="value"/> with every match of <paramref name="pattern"/> replaced by <paramref name="replacement"/>.</summary>
    string RegexReplace(string value, string pattern, string replacement) => $"REGEXP_REPLACE({value}, {pattern}, {replacement})";

    /// <summary>The number of characters of a text value.</summary>
    string TextLength(string value) => $"CHAR_LENGTH({value})";

    /// <summary>Any value as text, as the database writes it (for a text column, the value itself).</summary>
    string AsText(string value) => $"CAST({value} AS VARCHAR)";

    /// <summary>
    /// True when the text <paramref name="value"/> reads as <paramref name="fieldType"/> (one of
    /// <c>Quality.CheckRules.FieldTypes</c>: integral, fractional, numeric, string, boolean, date, timestamp), false
    /// when it does not, null when it is null. Must not fail on a value that does not read: that is what it tests.
    /// </summary>
    string IsType(string value, string fieldType) => throw new NotSupportedException($"This connector cannot yet test whether a value reads as {fieldType}.");

    /// <summary>The text <paramref name="value"/> converted to <paramref name="fieldType"/>; null (not an error) where it does not read.</summary>
    string CastTo(string value, string fieldType) => throw new NotSupportedException($"This connector cannot yet convert a value to {fieldType}.");

    /// <summary>A date, timestamp or ISO-8601 text value as something that compares in time order with <see cref="Now"/> and other such values.</summary>
    string PointInTime(string value) => value;

    /// <summary>The current date and time, comparable with <see cref="PointInTime"/>.</summary>
    string Now => "CURRENT_TIMESTAMP";

    /// <summary>An aggregate counting the rows where <paramref name="predicate"/> is true (not false, not null).</summary>
    string CountIf(string predicate) => $"COUNT(CASE WHEN {predicate} THEN 1 END)";

    /// <summary>What ends a SELECT so that it returns at most <paramref name="rows"/> rows.</summary>
    string Limit(int rows) => $"LIMIT {rows}";
}
