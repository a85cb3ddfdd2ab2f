using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Quarry.Server.Access;
using Quarry.Server.Errors;
using Quarry.Server.Store;

namespace Quarry.Server.Catalog;

/// <summary>The catalog a sync recorded: <c>/api/containers</c> and their fields, limited to datastores the caller may read.</summary>
public static class ContainersApi
{
    public sealed record ListQuery(int? Datastore, string? Name, string? Search, string? Type, [property: FromQuery(Name = "include_removed")] bool? IncludeRemoved);

    public sealed record FieldsQuery([property: FromQuery(Name = "include_removed")] bool? IncludeRemoved);

    public static RouteGroupBuilder MapContainers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/containers").WithTags("Containers").RequireMember().WithProblems();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapGet("/{id:int}/fields", FieldsAsync);
        return group;
    }

    private static async Task<Ok<Page<ContainerDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        IQueryable<Container> query;
        if (filter.Datastore is int datastore)
        {
            await access.EnsureCanReadDatastoreAsync(datastore, ct);
            query = db.Containers.AsNoTracking().Where(c => c.DatastoreId == datastore);
        }
        else
        {
            var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
            query = db.Containers.AsNoTracking().Where(c => visible.Any(d => d.Id == c.DatastoreId));
        }
        if (filter.IncludeRemoved != true) query = query.Where(c => !c.Removed);
        if (!string.IsNullOrWhiteSpace(filter.Name)) query = query.Where(c => c.Name == filter.Name);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim().ToLower();
            query = query.Where(c => c.Name.ToLower().Contains(search));
        }
        if (!string.IsNullOrWhiteSpace(filter.Type)) query = query.Where(c => c.ContainerType == filter.Type.Trim().ToLowerInvariant());
        var page = await query.OrderBy(c => c.DatastoreId).ThenBy(c => c.Name).Select(Project).ToPageAsync(paging, ct);
        return TypedResults.Ok(page);
    }

    private static async Task<Ok<ContainerDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var container = await db.Containers.AsNoTracking().Where(c => c.Id == id).Select(Project).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("container", id);
        await access.EnsureCanReadDatastoreAsync(container.DatastoreId, ct);
        return TypedResults.Ok(container);
    }

    private static async Task<Ok<Page<FieldDto>>> FieldsAsync(
        int id, [AsParameters] FieldsQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var datastoreId = await db.Containers.AsNoTracking().Where(c => c.Id == id).Select(c => (int?)c.DatastoreId).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("container", id);
        await access.EnsureCanReadDatastoreAsync(datastoreId, ct);
        var query = db.Fields.AsNoTracking().Where(f => f.ContainerId == id);
        if (filter.IncludeRemoved != true) query = query.Where(f => !f.Removed);
        var page = await query.OrderBy(f => f.Ordinal).ThenBy(f => f.Name)
            .Select(f => new FieldDto(f.Id, f.ContainerId, f.Name, f.Ordinal, f.DataType, f.Nullable, f.Removed, f.CreatedAt, f.UpdatedAt))
            .ToPageAsync(paging, ct);
        return TypedResults.Ok(page);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Container, ContainerDto>> Project = c =>
        new ContainerDto(c.Id, c.DatastoreId, c.Name, c.ContainerType, c.Removed, c.Fields.Count(f => !f.Removed), c.CreatedAt, c.UpdatedAt);
}
