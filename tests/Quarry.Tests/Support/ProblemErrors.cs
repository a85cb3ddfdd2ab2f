namespace Quarry.Tests.Support;

public static class ProblemErrors
{
    /// <summary>A validation problem's errors as one line, each field with its messages: "where_clause: … | select_clause: …".</summary>
    public static string Text(JsonElement problem) =>
        string.Join(" | ", problem.GetProperty("errors").EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"));
}
