namespace Quarry.Server.Store;

public static class PagingExtensions
{
    /// <summary>Refuses a page or size the stores can't serve, naming the query parameter at fault.</summary>
    public static void Validate(this PageQuery query)
    {
        if (query.PageNumber < 1) throw InvalidInputProblem.Single("page", "must be 1 or more.");
        if (query.PageSize is < 1 or > PageQuery.MaxSize) throw InvalidInputProblem.Single("size", $"must be between 1 and {PageQuery.MaxSize}.");
        // Past this the row offset no longer fits the stores' integer and would wrap around to the first page.
        if ((long)(query.PageNumber - 1) * query.PageSize > int.MaxValue)
            throw InvalidInputProblem.Single("page", $"must be at most {int.MaxValue / query.PageSize + 1} with size={query.PageSize}.");
    }

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

/// <summary>The server's side of <see cref="Names"/>: a name a request must carry, checked and trimmed.</summary>
public static class NameRules
{
    extension(Names)
    {
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
}
