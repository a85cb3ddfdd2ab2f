namespace Quarry.Server.Connectors;

/// <summary>What a profile makes of a column's declared type: which statistics apply to it.</summary>
public enum FieldKind
{
    Number,
    Text,
    Date,
    Timestamp,
    Boolean,
    /// <summary>Binary, JSON, arrays and the like: only nulls are counted.</summary>
    Other,
}

/// <summary>
/// The SQL questions only a profile asks, beside those of <see cref="ISqlDialect"/> (text, length, regular expressions,
/// types): the profile planner composes one pass of fused aggregates per container from the answers and never asks
/// which database it talks to. A question the engine has no answer for returns null, and the planner takes another
/// way. A connector's dialect implements it to let its datastores be profiled.
/// </summary>
public interface IProfileDialect
{
    /// <summary>The kind of a column from the type the database declares for it.</summary>
    FieldKind KindOf(string declaredType) => DeclaredTypes.KindOf(declaredType);

    /// <summary>The value as a floating-point number, for means and deviations.</summary>
    string AsNumber(string value) => $"CAST({value} AS DOUBLE PRECISION)";

    /// <summary>The sample standard deviation aggregate, or null (the planner derives it from a mean of squares).</summary>
    string? StandardDeviation(string number) => $"STDDEV_SAMP({number})";

    /// <summary>The aggregate for the value at <paramref name="fraction"/> of the sorted values (nearest rank), or null.</summary>
    string? Quantile(string value, double fraction) => null;

    /// <summary>
    /// What follows a table's name in FROM to read about the percentage (a parameter) of its rows, the same rows on
    /// every read, or null: the planner then reads the table's first rows (a bounded read).
    /// </summary>
    string? SampleClause(string percent) => null;

    /// <summary>A statement answering the estimated row count of the table whose quoted, qualified name is a parameter; or null.</summary>
    string? EstimatedRows(string table) => null;

    /// <summary>
    /// What follows a table's name in FROM to read a sample of about <paramref name="rows"/> of its rows without knowing
    /// its size, or null (the planner then uses <see cref="SampleClause"/> with an estimate, or a bounded read).
    /// </summary>
    string? SampleRowsClause(long rows) => null;

    /// <summary>Whether <c>GROUP BY GROUPING SETS</c> counts several columns' values in one read (else one grouping per column).</summary>
    bool GroupingSets => false;

    /// <summary>What goes between <c>WITH f AS</c> and the query to ask that it be computed once (or inlined), or nothing.</summary>
    string CteHint(bool materialized) => materialized ? "MATERIALIZED " : "NOT MATERIALIZED ";

    /// <summary>
    /// How many of a container's statements Quarry may run at once, each on its own connection. Above 1 the streaming
    /// aggregates, the sorts (distinct counts, quartiles) and the value counts are separate statements run side by side;
    /// at 1 they are fused into as few reads as possible.
    /// </summary>
    int ConcurrentStatements => 1;
}

/// <summary>How declared type names map to kinds, shared by the dialects that use the common SQL type words.</summary>
public static class DeclaredTypes
{
    public static FieldKind KindOf(string declaredType)
    {
        var type = declaredType.Trim().ToLowerInvariant();
        if (type.Length == 0) return FieldKind.Other;
        if (type.Contains("timestamp") || type.Contains("datetime")) return FieldKind.Timestamp;
        if (type.StartsWith("date", StringComparison.Ordinal)) return FieldKind.Date;
        if (type.StartsWith("bool", StringComparison.Ordinal)) return FieldKind.Boolean;
        if (type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("json") || type.Contains("blob") || type.Contains("bytea") || type.Contains("interval"))
            return FieldKind.Other;
        string[] numbers = ["int", "numeric", "decimal", "real", "double", "float", "money", "serial"];
        if (numbers.Any(type.Contains)) return FieldKind.Number;
        string[] texts = ["char", "text", "clob", "string", "uuid", "citext", "name"];
        return texts.Any(type.Contains) ? FieldKind.Text : FieldKind.Other;
    }
}
