namespace Quarry.Server.Store;

/// <summary>An entity whose name is unique by its case-insensitive key (<c>Names.Key</c>): connections, datastores, groups, teams, users.</summary>
public interface INamedEntity
{
    string NameKey { get; }
}

public static class NamedEntities
{
    /// <summary>
    /// A list's <c>?name=</c> (the whole name, in any case) and <c>?search=</c> (part of the name, in any case), read
    /// the same way by every list of named things; a blank value filters nothing.
    /// </summary>
    public static IQueryable<T> WhereNamed<T>(this IQueryable<T> query, string? name, string? search) where T : class, INamedEntity
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            var key = Names.Key(name);
            query = query.Where(e => e.NameKey == key);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var part = search.Trim().ToLowerInvariant();
            query = query.Where(e => e.NameKey.Contains(part));
        }
        return query;
    }
}
