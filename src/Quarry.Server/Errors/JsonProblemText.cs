using System.Text.RegularExpressions;

namespace Quarry.Server.Errors;

/// <summary>
/// Turns System.Text.Json's messages ("could not be converted to System.Nullable`1[…TeamPermission]") into
/// what a person can act on: which field, what it must be, and where in the body.
/// </summary>
internal static partial class JsonProblemText
{
    public static string Describe(JsonException json)
    {
        var where = json.LineNumber is long line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        // "$.port" names the field port, "$[3].rule" item 3's rule; "$" is the whole body.
        var field = json.Path switch
        {
            { Length: > 2 } path when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
            { Length: > 2 } path when path.StartsWith("$[", StringComparison.Ordinal) => path[1..],
            _ => null,
        };
        if (json is NulCharacters.Found || json.InnerException is NulCharacters.Found)
            return $"'{field ?? "a value"}' contains the NUL character (\\u0000){where}; text may not hold it. Remove it and send the request again.";
        var converted = ConvertedTo().Match(json.Message);
        if (converted.Success)
            return field is null
                ? $"The request body is not valid JSON for this endpoint: it must be {Expected(converted.Groups[1].Value)}{where}."
                : $"The request body is not valid JSON for this endpoint: '{field}' must be {Expected(converted.Groups[1].Value)}{where}.";
        var reason = json.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return $"The request body is not valid JSON for this endpoint{where}: {reason}{(field is null ? "" : $" (at '{field}')")}.";
    }

    private static string Expected(string typeName)
    {
        var inner = NullableOf().Match(typeName) is { Success: true } nullable ? nullable.Groups[1].Value : typeName;
        if (RequestEnums.ByFullName(inner) is { } enumType) return "one of: " + string.Join(", ", Enum.GetNames(enumType));
        return inner switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            _ when inner.Contains("List`1", StringComparison.Ordinal) || inner.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ when inner.Contains("Dictionary`2", StringComparison.Ordinal) => "an object",
            // A request type of Quarry's own (a connection, a quality check): a JSON object with its fields.
            _ when inner.StartsWith("Quarry.", StringComparison.Ordinal) => "an object",
            _ => "a value of another type",
        };
    }

    [GeneratedRegex(@"could not be converted to (\S+?)\.? Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial Regex NullableOf();
}
