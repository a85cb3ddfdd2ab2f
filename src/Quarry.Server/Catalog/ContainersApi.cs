using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Catalog;

/// <summary>The catalog a sync recorded: <c>/api/containers</c> and their fields, limited to datastores the caller may read.</summary>
public static class ContainersApi
{
    /// <summary><c>datastore</c> may repeat or list ids with commas; <c>container_type</c> is what Qualytics clients call <c>type</c>.</summary>
    public sealed record ListQuery(
        string[]? Datastore, string? Name, string? Search, string? Type, [property: FromQuery(Name = "include_removed")] bool? IncludeRemoved,
        [property: FromQuery(Name = "container_type")] string? ContainerType);

    public sealed record ListingQuery(string[]? Datastore);

    /// <summary>One row of <c>GET /api/containers/listing</c>: enough to find a container's id by its name.</summary>
    public sealed record ContainerListingDto(int Id, string Name, string ContainerType, int DatastoreId);

    public sealed record FieldsQuery([property: FromQuery(Name = "include_removed")] bool? IncludeRemoved);

    public static RouteGroupBuilder MapContainers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/containers").WithTags("Containers").RequireMember().WithProblems();
        group.MapGet("/", ListAsync);
        group.MapGet("/listing", ListingAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapGet("/{id:int}/fields", FieldsAsync);
        return group;
    }

    private static async Task<Ok<Page<ContainerDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = await VisibleAsync(db, access, filter.Datastore, ct);
        if (filter.IncludeRemoved != true) query = query.Where(c => !c.Removed);
        if (!string.IsNullOrWhiteSpace(filter.Name)) query = query.Where(c => c.Name == filter.Name);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim().ToLower();
            query = query.Where(c => c.Name.ToLower().Contains(search));
        }
        foreach (var type in new[] { filter.Type, filter.ContainerType }.Where(t => !string.IsNullOrWhiteSpace(t)))
            query = query.Where(c => c.ContainerType == type!.Trim().ToLowerInvariant());
        var page = await query.OrderBy(c => c.DatastoreId).ThenBy(c => c.Name).Select(Project).ToPageAsync(paging, ct);
        return TypedResults.Ok(page);
    }

    /// <summary>Every container of the datastores asked for (all visible ones without <c>datastore</c>), unpaged, by name.</summary>
    private static async Task<Ok<List<ContainerListingDto>>> ListingAsync([AsParameters] ListingQuery filter, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = await VisibleAsync(db, access, filter.Datastore, ct);
        return TypedResults.Ok(await query.Where(c => !c.Removed).OrderBy(c => c.DatastoreId).ThenBy(c => c.Name)
            .Select(c => new ContainerListingDto(c.Id, c.Name, c.ContainerType, c.DatastoreId)).ToListAsync(ct));
    }

    /// <summary>The containers of the datastores named (each must be readable: one outside the caller's teams is a 404 as one that does not exist), or of every visible one.</summary>
    private static async Task<IQueryable<Container>> VisibleAsync(QuarryDb db, Access.Access access, string[]? datastore, CancellationToken ct)
    {
        var ids = QueryValues.Ints(datastore, "datastore");
        if (ids.Count == 0)
        {
            var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
            return db.Containers.AsNoTracking().Where(c => visible.Any(d => d.Id == c.DatastoreId));
        }
        foreach (var id in ids) await access.EnsureCanReadDatastoreAsync(id, ct);
        return db.Containers.AsNoTracking().Where(c => ids.Contains(c.DatastoreId));
    }

    private static async Task<Ok<ContainerDetailDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var container = await db.Containers.AsNoTracking().Where(c => c.Id == id).Select(Project).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("container", id);
        await access.EnsureCanReadDatastoreAsync(container.DatastoreId, NotFoundProblem.For("container", id), ct);
        var datastore = await db.Datastores.AsNoTracking().Where(d => d.Id == container.DatastoreId).Select(d => d.Name).SingleAsync(ct);
        var reference = new ContainerRef(container.Id, container.Name, container.DatastoreId, datastore);
        var computed = await db.ComputedFields.AsNoTracking().Where(f => f.ContainerId == id).OrderBy(f => f.Id).ToListAsync(ct);
        return TypedResults.Ok(new ContainerDetailDto(container.Id, container.DatastoreId, container.Name, container.ContainerType, container.Removed,
            container.FieldCount, container.CreatedAt, container.UpdatedAt, computed.Select(f => Quality.ComputedFieldService.ToDto(f, reference)).ToList()));
    }

    private static async Task<Ok<Page<FieldDto>>> FieldsAsync(
        int id, [AsParameters] FieldsQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await EnsureReadableAsync(db, access, id, ct);
        var query = db.Fields.AsNoTracking().Where(f => f.ContainerId == id);
        if (filter.IncludeRemoved != true) query = query.Where(f => !f.Removed);
        var page = await query.OrderBy(f => f.Ordinal).ThenBy(f => f.Name)
            .Select(f => new FieldDto(f.Id, f.ContainerId, f.Name, f.Ordinal, f.DataType, f.Nullable, f.Removed, f.CreatedAt, f.UpdatedAt))
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page);
    }

    /// <summary>A 404 for container <paramref name="id"/> when there is none, or when the caller may not read its datastore.</summary>
    public static async Task EnsureReadableAsync(QuarryDb db, Access.Access access, int id, CancellationToken ct)
    {
        var datastoreId = await db.Containers.AsNoTracking().Where(c => c.Id == id).Select(c => (int?)c.DatastoreId).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("container", id);
        await access.EnsureCanReadDatastoreAsync(datastoreId, NotFoundProblem.For("container", id), ct);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Container, ContainerDto>> Project = c =>
        new ContainerDto(c.Id, c.DatastoreId, c.Name, c.ContainerType, c.Removed, c.Fields.Count(f => !f.Removed), c.CreatedAt, c.UpdatedAt);
}
