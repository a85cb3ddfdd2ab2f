namespace Quarry.Server.Quality;

/// <summary>Something that belongs to one container, and so to that container's datastore.</summary>
public interface IContainerScoped
{
    int Id { get; }
    int ContainerId { get; }
}

/// <summary>
/// The visibility rules the container-scoped quality APIs (checks, computed fields, computed containers) share,
/// in one place: lists hold only what is in a datastore the caller sees, and an id outside those datastores
/// answers 404 exactly as an id that does not exist, so guessing ids tells nothing.
/// </summary>
public static class ContainerScoped
{
    /// <summary>The containers of the datastores the caller sees.</summary>
    public static async Task<IQueryable<Container>> VisibleContainersAsync(QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Select(d => d.Id);
        return db.Containers.AsNoTracking().Where(c => visible.Contains(c.DatastoreId));
    }

    /// <summary>The items in containers the caller sees, of one datastore when <paramref name="datastore"/> is given.</summary>
    public static async Task<IQueryable<T>> VisibleAsync<T>(
        QuarryDb db, Access.Access access, IQueryable<T> items, int? datastore, CancellationToken ct)
        where T : class, IContainerScoped
    {
        var containers = await VisibleContainersAsync(db, access, ct);
        if (datastore is int id) containers = containers.Where(c => c.DatastoreId == id);
        return items.Where(i => containers.Any(c => c.Id == i.ContainerId));
    }

    /// <summary>
    /// The item <paramref name="id"/> of <paramref name="items"/> (tracked or not, as that query is) and its container,
    /// or a 404 naming <paramref name="what"/> when it does not exist or the caller does not see its datastore.
    /// </summary>
    public static async Task<(T Item, ContainerRef Container)> FindVisibleAsync<T>(
        QuarryDb db, Access.Access access, IQueryable<T> items, int id, string what, CancellationToken ct)
        where T : class, IContainerScoped
    {
        var item = await items.FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw NotFoundProblem.For(what, id);
        var container = await CatalogFields.RefAsync(db, item.ContainerId, ct);
        await access.EnsureSeesAsync(container.DatastoreId, NotFoundProblem.For(what, id), ct);
        return (item, container);
    }

    /// <summary>The page of responses for <paramref name="rows"/>, their containers read in one query.</summary>
    public static async Task<Page<TDto>> PageAsync<T, TDto>(
        QuarryDb db, List<T> rows, int total, PageQuery paging, Func<T, ContainerRef, TDto> toDto, CancellationToken ct)
        where T : class, IContainerScoped
    {
        var refs = await CatalogFields.RefsAsync(db, rows.Select(r => r.ContainerId), ct);
        return new Page<TDto>(rows.Select(r => toDto(r, refs[r.ContainerId])).ToList(), total, paging.PageNumber, paging.PageSize);
    }

    /// <summary>The response for <paramref name="item"/> as saved: a create or an update may have moved it to another container.</summary>
    public static async Task<TDto> ResponseAsync<T, TDto>(QuarryDb db, T item, Func<T, ContainerRef, TDto> toDto, CancellationToken ct)
        where T : class, IContainerScoped =>
        toDto(item, await CatalogFields.RefAsync(db, item.ContainerId, ct));
}
