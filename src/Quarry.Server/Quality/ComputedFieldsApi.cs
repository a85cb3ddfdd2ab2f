using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Quarry.Server.Access;
using Quarry.Server.Errors;
using Quarry.Server.Store;

namespace Quarry.Server.Quality;

public static class ComputedFieldsApi
{
    public sealed record ListQuery(int? Datastore, int? Container, string? Name);

    public static RouteGroupBuilder MapComputedFields(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/computed-fields").WithTags("Computed fields").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        return group;
    }

    private static async Task<Ok<Page<ComputedFieldDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Select(d => d.Id);
        var query = from field in db.ComputedFields.AsNoTracking()
                    join container in db.Containers on field.ContainerId equals container.Id
                    where visible.Contains(container.DatastoreId)
                    select new { field, container.DatastoreId };
        if (filter.Datastore is int datastore) query = query.Where(r => r.DatastoreId == datastore);
        if (filter.Container is int containerId) query = query.Where(r => r.field.ContainerId == containerId);
        if (!string.IsNullOrWhiteSpace(filter.Name)) query = query.Where(r => r.field.NameKey == Names.Key(filter.Name));
        var (rows, total) = await query.OrderBy(r => r.field.Id).Select(r => r.field).ReadPageAsync(paging, ct);
        var refs = await CatalogFields.RefsAsync(db, rows.Select(c => c.ContainerId), ct);
        return TypedResults.Ok(new Page<ComputedFieldDto>(rows.Select(c => ComputedFieldService.ToDto(c, refs[c.ContainerId])).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<ComputedFieldDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var field = await db.ComputedFields.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFoundProblem.For("computed field", id);
        var container = await CatalogFields.RefAsync(db, field.ContainerId, ct);
        await access.EnsureSeesAsync(container.DatastoreId, NotFoundProblem.For("computed field", id), ct);
        return TypedResults.Ok(ComputedFieldService.ToDto(field, container));
    }

    private static async Task<Created<ComputedFieldDto>> CreateAsync(ComputedFieldRequest request, QuarryDb db, ComputedFieldService service, CancellationToken ct)
    {
        var field = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        var container = await CatalogFields.RefAsync(db, field.ContainerId, ct);
        return TypedResults.Created($"/api/computed-fields/{field.Id}", ComputedFieldService.ToDto(field, container));
    }

    private static async Task<Ok<ComputedFieldDto>> UpdateAsync(
        int id, ComputedFieldRequest request, QuarryDb db, ComputedFieldService service, Access.Access access, CancellationToken ct)
    {
        var field = await db.ComputedFields.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFoundProblem.For("computed field", id);
        await access.EnsureSeesAsync((await CatalogFields.RefAsync(db, field.ContainerId, ct)).DatastoreId, NotFoundProblem.For("computed field", id), ct);
        await service.UpdateAsync(field, request, ct);
        await db.SaveChangesAsync(ct);
        var container = await CatalogFields.RefAsync(db, field.ContainerId, ct);
        return TypedResults.Ok(ComputedFieldService.ToDto(field, container));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, ComputedFieldService service, CancellationToken ct)
    {
        var target = await (from field in db.ComputedFields
                            join container in db.Containers on field.ContainerId equals container.Id
                            where field.Id == id
                            select new { field.Id, field.ContainerId, field.Name, container.DatastoreId }).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("computed field", id);
        await access.EnsureSeesAsync(target.DatastoreId, NotFoundProblem.For("computed field", id), ct);
        await access.EnsureCanAuthorDatastoreAsync(target.DatastoreId, ct);
        await service.EnsureUnusedAsync(target.ContainerId, target.Name, target.Id, "deleted", ct);
        await db.ComputedFields.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
