using Microsoft.EntityFrameworkCore;
using Quarry.Server.Errors;

namespace Quarry.Server.Store;

/// <summary>One page of a list: <c>{"items":[…],"total":N,"page":1,"size":50}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int Size)
{
    [System.Text.Json.Serialization.JsonPropertyName("page")]
    public int PageNumber { get; init; } = PageNumber;
}

/// <summary>The <c>?page=&amp;size=</c> of a list request.</summary>
public readonly record struct PageQuery(int? Page, int? Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    public int PageNumber => Page ?? 1;
    public int PageSize => Size ?? DefaultSize;

    /// <summary>How many rows come before this page (valid once <see cref="Validate"/> passed).</summary>
    public int Skip => (PageNumber - 1) * PageSize;

    public void Validate()
    {
        if (PageNumber < 1) throw InvalidInputProblem.Single("page", "must be 1 or more.");
        if (PageSize is < 1 or > MaxSize) throw InvalidInputProblem.Single("size", $"must be between 1 and {MaxSize}.");
        // Past this the row offset no longer fits the stores' integer and would wrap around to the first page.
        if ((long)(PageNumber - 1) * PageSize > int.MaxValue)
            throw InvalidInputProblem.Single("page", $"must be at most {int.MaxValue / PageSize + 1} with size={PageSize}.");
    }
}

public static class PagingExtensions
{
    /// <summary>Counts and reads one page of an ordered query.</summary>
    public static async Task<(List<T> Items, int Total)> ReadPageAsync<T>(this IQueryable<T> ordered, PageQuery query, CancellationToken ct)
    {
        query.Validate();
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(query.Skip).Take(query.PageSize).ToListAsync(ct);
        return (items, total);
    }

    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageQuery query, CancellationToken ct)
    {
        var (items, total) = await ordered.ReadPageAsync(query, ct);
        return new Page<T>(items, total, query.PageNumber, query.PageSize);
    }
}

public static class Names
{
    /// <summary>The key that makes names unique regardless of case.</summary>
    public static string Key(string name) => name.Trim().ToLowerInvariant();

    /// <summary>
    /// The name as stored: leading and trailing spaces are dropped everywhere a name is read (API, config, prune),
    /// so "Sales " and "Sales" are one name, as a person reading them would expect.
    /// </summary>
    public static string Require(string? name, string field = "name", int max = InputLimits.NameLength)
    {
        if (string.IsNullOrWhiteSpace(name)) throw InvalidInputProblem.Single(field, "is required.");
        var trimmed = name.Trim();
        if (InputLimits.TooLong(trimmed, max) is { } tooLong) throw InvalidInputProblem.Single(field, tooLong);
        return trimmed;
    }
}
