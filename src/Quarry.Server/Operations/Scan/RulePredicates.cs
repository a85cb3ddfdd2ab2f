namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Turns a row-level rule into the predicate that is true for a failing row, composed from the dialect's answers and
/// the check's properties bound as parameters. A null value fails none of these rules but notNull (SQL's NOT of
/// null is null, which a count ignores), as with the hand-written statement a data engineer would write.
/// </summary>
internal static class RulePredicates
{
    /// <summary>The rules evaluated row by row in a container's one fused statement; the others get statements of their own.</summary>
    public static bool IsRowLevel(string rule) => rule != "unique";

    public static string Failing(SqlText sql, ScanContainer container, ScanCheck check)
    {
        var dialect = sql.Dialect;
        var p = check.Properties;
        string Column(string name) => sql.Quote(name);
        string Text(string name) => container.IsText(name) ? Column(name) : dialect.AsText(Column(name));
        string Any(Func<string, string> failing) =>
            check.Fields.Count == 1 ? failing(check.Fields[0]) : string.Join(" OR ", check.Fields.Select(f => "(" + failing(f) + ")"));
        var field = check.Fields.FirstOrDefault() ?? "";
        bool Inclusive(bool byDefault) => p.TryGetValue("inclusive", out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : byDefault;

        return check.Rule switch
        {
            "notNull" => Any(f => $"{Column(f)} IS NULL"),
            "notNegative" => Any(f => $"{Column(f)} < 0"),
            "notFuture" => Any(f => $"{dialect.PointInTime(Column(f))} > {dialect.Now}"),
            "between" => Inclusive(true)
                ? $"{Column(field)} < {Number(sql, p["min"])} OR {Column(field)} > {Number(sql, p["max"])}"
                : $"{Column(field)} <= {Number(sql, p["min"])} OR {Column(field)} >= {Number(sql, p["max"])}",
            "greaterThan" => $"{Column(field)} {(Inclusive(false) ? "<" : "<=")} {Number(sql, p["value"])}",
            "lessThan" => $"{Column(field)} {(Inclusive(false) ? ">" : ">=")} {Number(sql, p["value"])}",
            "expectedValues" => ExpectedValues(sql, container, field, p["list"]),
            "matchesPattern" => $"NOT {dialect.RegexMatch(Text(field), sql.Bind(p["pattern"].GetString()))}",
            "minLength" => $"{dialect.TextLength(Text(field))} < {sql.Bind(p["value"].GetInt64())}",
            "maxLength" => $"{dialect.TextLength(Text(field))} > {sql.Bind(p["value"].GetInt64())}",
            "isType" => $"NOT {dialect.IsType(Text(field), p["field_type"].GetString()!)}",
            "afterDateTime" => $"{dialect.PointInTime(Column(field))} <= {dialect.PointInTime(sql.Bind(Instant(p["datetime"])))}",
            "beforeDateTime" => $"{dialect.PointInTime(Column(field))} >= {dialect.PointInTime(sql.Bind(Instant(p["datetime"])))}",
            "satisfiesExpression" => $"NOT ({p["expression"].GetString()})",
            _ => throw new ScanCheckException($"Rule '{check.Rule}' can't be evaluated by a scan yet; the check was not evaluated."),
        };
    }

    /// <summary>
    /// A number bound as a whole number when it is one (boxed as such: a long and a double in one conditional would
    /// both become doubles), so an integer or decimal column compares without converting each row to a double, and a
    /// whole number beyond 2^53 keeps every digit.
    /// </summary>
    private static string Number(SqlText sql, JsonElement value) => sql.Bind(NumberValue(value));

    private static object NumberValue(JsonElement value) => value.TryGetInt64(out var whole) ? (object)whole : value.GetDouble();

    /// <summary>
    /// The values bound with the column's kind: as text for a text column (a number in the list as it was written), as
    /// numbers or booleans when the list holds only those, and otherwise the column compared as text.
    /// </summary>
    private static string ExpectedValues(SqlText sql, ScanContainer container, string field, JsonElement list)
    {
        var values = list.EnumerateArray().ToList();
        var column = sql.Quote(field);
        string In(string left, Func<JsonElement, object> value) => $"NOT ({left} IN ({string.Join(", ", values.Select(v => sql.Bind(value(v))))}))";
        if (container.IsText(field)) return In(column, AsText);
        if (values.All(v => v.ValueKind == JsonValueKind.Number)) return In(column, NumberValue);
        if (values.All(v => v.ValueKind is JsonValueKind.True or JsonValueKind.False)) return In(column, v => v.GetBoolean());
        return In(sql.Dialect.AsText(column), AsText);
    }

    private static string AsText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static DateTime Instant(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;
}
