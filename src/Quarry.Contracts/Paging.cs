namespace Quarry.Contracts;

/// <summary>One page of a list: <c>{"items":[…],"total":N,"page":1,"size":50}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int Size)
{
    [System.Text.Json.Serialization.JsonPropertyName("page")]
    public int PageNumber { get; init; } = PageNumber;
}

/// <summary>The <c>?page=&amp;size=</c> of a list request; the server checks it with <c>Validate()</c>.</summary>
public readonly record struct PageQuery(int? Page, int? Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    public int PageNumber => Page ?? 1;
    public int PageSize => Size ?? DefaultSize;

    /// <summary>How many rows come before this page (valid once <c>Validate()</c> passed).</summary>
    public int Skip => (PageNumber - 1) * PageSize;
}

public static class Names
{
    /// <summary>The key that makes names unique regardless of case.</summary>
    public static string Key(string name) => name.Trim().ToLowerInvariant();
}
