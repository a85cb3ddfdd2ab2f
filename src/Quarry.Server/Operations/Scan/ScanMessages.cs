namespace Quarry.Server.Operations.Scan;

/// <summary>What a failed check found, in words: "42 of 10,000 rows have a null in email".</summary>
internal static class ScanMessages
{
    /// <summary>
    /// A source's message or a value as a message quotes it, cut like a long text in a sample row: a database may quote
    /// the whole of a huge value it could not read, and a message is stored with every result of the check.
    /// </summary>
    public static string Cut(string text) => text.Length <= SourceRecords.MaxTextLength ? text : text[..SourceRecords.MaxTextLength] + "…";

    public static string Failed(ScanCheck check, long asserted, long failing)
    {
        var fields = string.Join(", ", check.Fields.Select(f => $"'{f}'"));
        var field = fields.Length == 0 ? "" : fields.Split(", ")[0];
        var p = check.Properties;
        string Value(string name) => p.TryGetValue(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";
        var what = check.Rule switch
        {
            "notNull" => $"have a null in {fields}",
            "unique" => $"share their {fields} with another row",
            "notNegative" => $"have a negative value in {fields}",
            "notFuture" => $"have a date in the future in {fields}",
            "between" => $"have {field} outside {Value("min")} to {Value("max")}",
            "greaterThan" => $"have {field} not greater than {Value("value")}",
            "lessThan" => $"have {field} not less than {Value("value")}",
            "expectedValues" => $"have {field} not among the expected values",
            "matchesPattern" => $"have {field} not matching the pattern {Value("pattern")}",
            "minLength" => $"have {field} shorter than {Value("value")} characters",
            "maxLength" => $"have {field} longer than {Value("value")} characters",
            "isType" => $"have {field} that does not read as {Value("field_type")}",
            "afterDateTime" => $"have {field} not after {Value("datetime")}",
            "beforeDateTime" => $"have {field} not before {Value("datetime")}",
            "satisfiesExpression" => $"do not satisfy {Value("expression")}",
            "existsIn" => $"have {field} not found in '{Value("ref_field")}' of '{Value("ref_container")}'",
            _ => $"fail {check.Rule}",
        };
        var coverage = check.Check.Coverage < 1
            ? string.Create(CultureInfo.InvariantCulture, $" (coverage {check.Check.Coverage:0.##%} allows {Math.Floor(asserted * (1 - check.Check.Coverage) + 1e-9):N0})")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{failing:N0} of {asserted:N0} rows {what}{coverage}.");
    }
}
