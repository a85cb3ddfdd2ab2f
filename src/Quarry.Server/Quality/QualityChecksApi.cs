using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Quality;

public static class QualityChecksApi
{
    /// <summary>
    /// <c>container</c> and <c>tag</c> may repeat (<c>?container=1&amp;container=2</c>) or list values with commas.
    /// Archived checks are left out unless <c>archived=include|only</c> or <c>status</c> names them.
    /// </summary>
    public sealed record ListQuery(int? Datastore, string[]? Container, string? Rule, string[]? Tag, string? Status, string? Archived);

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
        group.MapPost("/bulk", QualityChecksBulk.CreateManyAsync);
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapPatch("/", UpdateStatusesAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        group.MapDelete("/", QualityCheckRemoval.DeleteManyAsync);
        return group;
    }

    private static Ok<IReadOnlyList<RuleDto>> Rules() => TypedResults.Ok<IReadOnlyList<RuleDto>>(CheckRules.All
        .Select(r => new RuleDto(r.Name, r.Fields.Describe(), r.Properties.Select(p => new RulePropertyDto(p.Name, p.Kind.ToString(), p.Required)).ToList(), r.Summary))
        .ToList());

    private static async Task<Ok<Page<QualityCheckDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = await ContainerScoped.VisibleAsync(db, access, db.QualityChecks.AsNoTracking(), filter.Datastore, ct);
        var containers = QueryValues.Ints(filter.Container, "container");
        if (containers.Count > 0) query = query.Where(c => containers.Contains(c.ContainerId));
        if (!string.IsNullOrWhiteSpace(filter.Rule)) query = query.Where(c => c.Rule == filter.Rule.Trim());
        foreach (var name in QueryValues.Strings(filter.Tag))
        {
            var tag = QualityJson.Of([name])[1..^1];
            query = query.Where(c => c.TagsJson.Contains(tag));
        }
        var statuses = QueryValues.Strings([filter.Status ?? ""]).Select(s => QueryValues.OneOf(s, CheckStatus.All, "status")).ToList();
        if (statuses.Count > 0) query = query.Where(c => statuses.Contains(c.Status));
        else query = QueryValues.OneOf(filter.Archived ?? "exclude", ["exclude", "include", "only"], "archived") switch
        {
            "only" => query.Where(c => c.Status == CheckStatus.Archived),
            "include" => query,
            _ => query.Where(c => c.Status != CheckStatus.Archived),
        };
        var (rows, total) = await query.OrderBy(c => c.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(await QualityCheckResponses.PageAsync(db, rows, total, paging, ct));
    }

    private static async Task<Ok<QualityCheckDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var (check, container) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks.AsNoTracking(), id, What, ct);
        return TypedResults.Ok(await QualityCheckResponses.ResponseAsync(db, check, container, ct));
    }

    private static async Task<Created<QualityCheckDto>> CreateAsync(QualityCheckRequest request, QuarryDb db, QualityCheckService service, CancellationToken ct)
    {
        await QualityCheckTemplatesApi.ApplyAsync(db, request, ct);
        var check = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/quality-checks/{check.Id}", await QualityCheckResponses.ResponseAsync(db, check, ct));
    }

    private static async Task<Ok<QualityCheckDto>> UpdateAsync(
        int id, QualityCheckRequest request, QuarryDb db, QualityCheckService service, Access.Access access, CancellationToken ct)
    {
        var (check, _) = await ContainerScoped.FindVisibleAsync(db, access, db.QualityChecks, id, What, ct);
        await service.UpdateAsync(check, request, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await QualityCheckResponses.ResponseAsync(db, check, ct));
    }

    /// <summary>Deletes the check, or with <c>archive=true</c> keeps it as Archived (never scanned again).</summary>
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
        var response = new List<QualityCheckDto>();
        foreach (var (check, container) in checks) response.Add(await QualityCheckResponses.ResponseAsync(db, check, container, ct));
        return TypedResults.Ok(response);
    }

    private static async Task<NoContent> DeleteAsync(
        int id, bool? archive, string? status, [FromQuery(Name = "delete_anomalies")] bool? deleteAnomalies,
        QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await QualityCheckRemoval.ApplyAsync(db, access, [new QualityCheckRemoval.Item { Id = id, Archive = archive, Status = status, DeleteAnomalies = deleteAnomalies }], ct);
        return TypedResults.NoContent();
    }
}
