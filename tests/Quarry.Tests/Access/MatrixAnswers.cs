namespace Quarry.Tests.Access;

/// <summary>How the access matrices judge one answer: the expected status, and a problem with a detail for every error.</summary>
internal static class MatrixAnswers
{
    public static void Check(StringBuilder mismatches, string what, int expected, (HttpStatusCode Status, JsonElement Body, string ContentType) answer)
    {
        var (status, json, contentType) = answer;
        if ((int)status != expected)
            mismatches.AppendLine($"{what}: expected {expected}, got {(int)status} {json}");
        else if ((int)status >= 400 && (contentType != "application/problem+json" || string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString())))
            mismatches.AppendLine($"{what}: {(int)status} is not a problem with a detail: {contentType} {json}");
    }
}
