using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Quarry.Server.Access;
using Quarry.Server.Errors;
using Quarry.Server.Store;

namespace Quarry.Server.Quality;

public static class QualityChecksApi
{
    public sealed record ListQuery(int? Datastore, int? Container, string? Rule, string? Tag);

    public sealed record RuleDto(string Name, string Fields, IReadOnlyList<RulePropertyDto> Properties, string Summary);

    public sealed record RulePropertyDto(string Name, string Kind, bool Required);

    public static RouteGroupBuilder MapQualityChecks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/quality-checks").WithTags("Quality checks").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/rules", Rules);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        return group;
    }

    private static Ok<IReadOnlyList<RuleDto>> Rules() => TypedResults.Ok<IReadOnlyList<RuleDto>>(CheckRules.All
        .Select(r => new RuleDto(r.Name, r.Fields.Describe(), r.Properties.Select(p => new RulePropertyDto(p.Name, p.Kind.ToString(), p.Required)).ToList(), r.Summary))
        .ToList());

    private static async Task<Ok<Page<QualityCheckDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Select(d => d.Id);
        var query = from check in db.QualityChecks.AsNoTracking()
                    join container in db.Containers on check.ContainerId equals container.Id
                    where visible.Contains(container.DatastoreId)
                    select new { check, container.DatastoreId };
        if (filter.Datastore is int datastore) query = query.Where(r => r.DatastoreId == datastore);
        if (filter.Container is int containerId) query = query.Where(r => r.check.ContainerId == containerId);
        if (!string.IsNullOrWhiteSpace(filter.Rule)) query = query.Where(r => r.check.Rule == filter.Rule.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = QualityJson.Of([filter.Tag.Trim()])[1..^1];
            query = query.Where(r => r.check.TagsJson.Contains(tag));
        }
        var (rows, total) = await query.OrderBy(r => r.check.Id).Select(r => r.check).ReadPageAsync(paging, ct);
        var refs = await CatalogFields.RefsAsync(db, rows.Select(c => c.ContainerId), ct);
        return TypedResults.Ok(new Page<QualityCheckDto>(rows.Select(c => QualityCheckService.ToDto(c, refs[c.ContainerId])).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<QualityCheckDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var check = await db.QualityChecks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFoundProblem.For("quality check", id);
        var container = await CatalogFields.RefAsync(db, check.ContainerId, ct);
        await access.EnsureSeesAsync(container.DatastoreId, NotFoundProblem.For("quality check", id), ct);
        return TypedResults.Ok(QualityCheckService.ToDto(check, container));
    }

    private static async Task<Created<QualityCheckDto>> CreateAsync(QualityCheckRequest request, QuarryDb db, QualityCheckService service, CancellationToken ct)
    {
        var check = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        var container = await CatalogFields.RefAsync(db, check.ContainerId, ct);
        return TypedResults.Created($"/api/quality-checks/{check.Id}", QualityCheckService.ToDto(check, container));
    }

    private static async Task<Ok<QualityCheckDto>> UpdateAsync(
        int id, QualityCheckRequest request, QuarryDb db, QualityCheckService service, Access.Access access, CancellationToken ct)
    {
        var check = await db.QualityChecks.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFoundProblem.For("quality check", id);
        await access.EnsureSeesAsync((await CatalogFields.RefAsync(db, check.ContainerId, ct)).DatastoreId, NotFoundProblem.For("quality check", id), ct);
        await service.UpdateAsync(check, request, ct);
        await db.SaveChangesAsync(ct);
        var container = await CatalogFields.RefAsync(db, check.ContainerId, ct);
        return TypedResults.Ok(QualityCheckService.ToDto(check, container));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var target = await (from check in db.QualityChecks
                            join container in db.Containers on check.ContainerId equals container.Id
                            where check.Id == id
                            select new { check.Id, container.DatastoreId }).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("quality check", id);
        await access.EnsureSeesAsync(target.DatastoreId, NotFoundProblem.For("quality check", id), ct);
        await access.EnsureCanAuthorDatastoreAsync(target.DatastoreId, ct);
        await db.QualityChecks.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
