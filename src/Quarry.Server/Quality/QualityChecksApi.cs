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
    public sealed record ListQuery(int? Datastore, int? Container, string? Rule, string? Tag, string? Status);

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
        group.MapPatch("/", UpdateStatusesAsync);
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
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            var errors = new Dictionary<string, List<string>>();
            var status = QualityCheckService.CleanStatus(filter.Status, "status", errors);
            if (status is null) throw CatalogFields.Problem(errors);
            query = query.Where(c => c.Status == status);
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

    /// <summary>
    /// Changes the status of many checks at once (<c>[{"id": 1, "status": "Active"}, …]</c>): activating a profile's
    /// drafts, or archiving them. All or nothing: every item is checked before any is changed.
    /// </summary>
    private static async Task<Ok<List<QualityCheckDto>>> UpdateStatusesAsync(
        List<QualityCheckStatusChange> changes, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        if (changes.Count == 0) CheckRules.Add(errors, "body", "must list at least one {\"id\": …, \"status\": …} item.");
        var wanted = new Dictionary<int, string>();
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].Id is not int id) CheckRules.Add(errors, $"[{i}].id", "is required: the check to change.");
            else if (QualityCheckService.CleanStatus(changes[i].Status, $"[{i}].status", errors) is { } status) wanted[id] = status;
        }
        if (errors.Count > 0) throw CatalogFields.Problem(errors);

        var checks = new List<(QualityCheck Check, ContainerRef Container)>();
        foreach (var id in wanted.Keys)
        {
            var found = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks, id, What, ct);
            await access.EnsureCanAuthorDatastoreAsync(found.Container.DatastoreId, ct);
            checks.Add(found);
        }
        var now = DateTime.UtcNow;
        foreach (var (check, _) in checks.Where(c => c.Check.Status != wanted[c.Check.Id]))
            (check.Status, check.UpdatedAt) = (wanted[check.Id], now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(checks.Select(c => QualityCheckService.ToDto(c.Check, c.Container)).ToList());
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var (_, container) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks.AsNoTracking(), id, What, ct);
        await access.EnsureCanAuthorDatastoreAsync(container.DatastoreId, ct);
        await db.QualityChecks.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
