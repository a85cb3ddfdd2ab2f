namespace Quarry.Server.Quality;

public static class ComputedFieldsApi
{
    public sealed record ListQuery(int? Datastore, int? Container, string? Name);

    private const string What = "computed field";

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
        var query = await ContainerScoped.VisibleAsync(db, access, db.ComputedFields.AsNoTracking(), filter.Datastore, ct);
        if (filter.Container is int containerId) query = query.Where(f => f.ContainerId == containerId);
        if (!string.IsNullOrWhiteSpace(filter.Name)) query = query.Where(f => f.NameKey == Names.Key(filter.Name));
        var (rows, total) = await query.OrderBy(f => f.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(await ContainerScoped.PageAsync(db, rows, total, paging, ComputedFieldService.ToDto, ct));
    }

    private static async Task<Ok<ComputedFieldDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var (field, container) = await ContainerScoped.FindVisibleAsync(db, access, db.ComputedFields.AsNoTracking(), id, What, ct);
        return TypedResults.Ok(ComputedFieldService.ToDto(field, container));
    }

    private static async Task<Created<ComputedFieldDto>> CreateAsync(ComputedFieldRequest request, QuarryDb db, ComputedFieldService service, CancellationToken ct)
    {
        var field = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/computed-fields/{field.Id}", await ContainerScoped.ResponseAsync(db, field, ComputedFieldService.ToDto, ct));
    }

    private static async Task<Ok<ComputedFieldDto>> UpdateAsync(
        int id, ComputedFieldRequest request, QuarryDb db, ComputedFieldService service, Access.Access access, CancellationToken ct)
    {
        var (field, _) = await ContainerScoped.FindVisibleAsync(db, access, db.ComputedFields, id, What, ct);
        await service.UpdateAsync(field, request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ContainerScoped.ResponseAsync(db, field, ComputedFieldService.ToDto, ct));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, ComputedFieldService service, CancellationToken ct)
    {
        var (field, container) = await ContainerScoped.FindVisibleAsync(db, access, db.ComputedFields.AsNoTracking(), id, What, ct);
        await access.EnsureCanAuthorDatastoreAsync(container.DatastoreId, ct);
        await service.EnsureUnusedAsync(field.ContainerId, field.Name, field.Id, "deleted", ct);
        await db.ComputedFields.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
