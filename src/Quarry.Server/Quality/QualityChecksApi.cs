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

    private const string What = "quality check";

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
        var query = await ContainerScoped.VisibleAsync(db, access, db.QualityChecks.AsNoTracking(), filter.Datastore, ct);
        if (filter.Container is int containerId) query = query.Where(c => c.ContainerId == containerId);
        if (!string.IsNullOrWhiteSpace(filter.Rule)) query = query.Where(c => c.Rule == filter.Rule.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = QualityJson.Of([filter.Tag.Trim()])[1..^1];
            query = query.Where(c => c.TagsJson.Contains(tag));
        }
        var (rows, total) = await query.OrderBy(c => c.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(await ContainerScoped.PageAsync(db, rows, total, paging, QualityCheckService.ToDto, ct));
    }

    private static async Task<Ok<QualityCheckDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var (check, container) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks.AsNoTracking(), id, What, ct);
        return TypedResults.Ok(QualityCheckService.ToDto(check, container));
    }

    private static async Task<Created<QualityCheckDto>> CreateAsync(QualityCheckRequest request, QuarryDb db, QualityCheckService service, CancellationToken ct)
    {
        var check = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/quality-checks/{check.Id}", await ContainerScoped.ResponseAsync(db, check, QualityCheckService.ToDto, ct));
    }

    private static async Task<Ok<QualityCheckDto>> UpdateAsync(
        int id, QualityCheckRequest request, QuarryDb db, QualityCheckService service, Access.Access access, CancellationToken ct)
    {
        var (check, _) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks, id, What, ct);
        await service.UpdateAsync(check, request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ContainerScoped.ResponseAsync(db, check, QualityCheckService.ToDto, ct));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var (_, container) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks.AsNoTracking(), id, What, ct);
        await access.EnsureCanAuthorDatastoreAsync(container.DatastoreId, ct);
        await db.QualityChecks.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
