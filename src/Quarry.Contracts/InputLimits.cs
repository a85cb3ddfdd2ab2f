namespace Quarry.Contracts;

/// <summary>
/// How large what a client sends may be. Without limits one datastore with a 20 MB description and thousands of tags
/// made every list that shows it tens of megabytes; these keep each resource small enough to list, diff and export.
/// The CLI checks the same limits in config files, so a file that breaks one fails at file:line before any request.
/// </summary>
public static class InputLimits
{
    /// <summary>Names of connections, datastores, groups, teams, users, tokens and quality resources.</summary>
    public const int NameLength = 200;
    public const int DescriptionLength = 10_000;
    /// <summary>Tags of one datastore or one quality check.</summary>
    public const int TagCount = 100;
    public const int TagLength = 100;

    /// <summary>The request body of every endpoint but config plan and apply.</summary>
    public const long BodyBytes = 1024 * 1024;
    /// <summary>Config plan and apply take a whole config folder: ten thousand connections and datastores fit easily.</summary>
    public const long ConfigBodyBytes = 64 * 1024 * 1024;

    /// <summary>Why <paramref name="text"/> is too long for <paramref name="max"/> characters, or null.</summary>
    public static string? TooLong(string? text, int max) =>
        text is not null && text.Length > max ? $"must be at most {Count(max)} characters; it has {Count(text.Length)}." : null;

    /// <summary>Why a list of tags breaks the limits, or null.</summary>
    public static string? TagsProblem(IReadOnlyCollection<string> tags)
    {
        if (tags.Count > TagCount) return $"at most {Count(TagCount)} tags are allowed; {Count(tags.Count)} given.";
        var longest = tags.FirstOrDefault(t => t.Trim().Length > TagLength);
        return longest is null ? null : $"each tag must be at most {Count(TagLength)} characters; one has {Count(longest.Trim().Length)}.";
    }

    /// <summary>Adds the description and tags problems of a request to <paramref name="errors"/>, keyed by field.</summary>
    public static void Check(string? description, IReadOnlyCollection<string>? tags, IDictionary<string, string[]> errors)
    {
        if (TooLong(description, DescriptionLength) is { } tooLong) errors["description"] = [tooLong];
        if (tags is not null && TagsProblem(tags) is { } tagsProblem) errors["tags"] = [tagsProblem];
    }

    public static string Bytes(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MiB ({Count(bytes)} bytes)"
        : $"{Count(bytes)} bytes";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
