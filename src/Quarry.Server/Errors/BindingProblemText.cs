using System.Text.RegularExpressions;

namespace Quarry.Server.Errors;

/// <summary>
/// Turns ASP.NET Core's binding messages, written for the endpoint's developer ("Failed to bind parameter
/// \"Nullable&lt;int&gt; Page\" from \"abc\"", "Implicit body inferred … Did you mean to use a Service instead?"),
/// into what the API's user can act on: which query parameter, what it must be, or that a JSON body is missing.
/// </summary>
internal static partial class BindingProblemText
{
    public static string? Describe(string message)
    {
        if (FailedToBind().Match(message) is { Success: true } bind)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(bind.Groups["name"].Value);
            return $"The query parameter '{name}' must be {Expected(bind.Groups["type"].Value)}; got '{bind.Groups["value"].Value}'.";
        }
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || NoBody().IsMatch(message))
            return "This endpoint needs a JSON body (Content-Type: application/json); none was sent.";
        return null;
    }

    private static string Expected(string type)
    {
        var inner = NullableOf().Match(type) is { Success: true } nullable ? nullable.Groups[1].Value : type;
        if (RequestEnums.ByName(inner) is { } enumType) return "one of: " + string.Join(", ", Enum.GetNames(enumType));
        return inner switch
        {
            "int" or "long" => "a whole number",
            "bool" => "true or false",
            _ => "a value of another kind",
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+?) (?<name>\\w+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"[^\"]+\" was not provided from body")]
    private static partial Regex NoBody();

    [GeneratedRegex(@"^Nullable<(.+)>$")]
    private static partial Regex NullableOf();
}
