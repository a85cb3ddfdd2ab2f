using Quarry.Server.Anomalies;
using Quarry.Server.Operations.Scan;

namespace Quarry.Server.ScanResults;

/// <summary>The result of one check in one scan, with the check's rule and fields.</summary>
public sealed record CheckResultDto(
    int Id, int OperationId, int DatastoreId, int ContainerId, NamedRef Container, int CheckId, string RuleType, IReadOnlyList<string> Fields,
    string Result, long? AssertedRecordsCount, long? AnomalousRecordsCount, string? Message, int? AnomalyId, DateTime Created);

/// <summary>One container in one scan: its row count and how its checks went.</summary>
public sealed record ContainerScanDto(
    int Id, int OperationId, int DatastoreId, int ContainerId, NamedRef Container, long? RecordCount,
    int ChecksPassed, int ChecksFailed, int ChecksUnasserted, string? Message, DateTime Created);

/// <summary>
/// What scans recorded per check (<c>/api/check-results</c>) and per container (<c>/api/container-scans</c>), limited
/// to the datastores the caller sees; <c>latest=true</c> keeps only the newest row of each check or container.
/// </summary>
public static class ScanResultsApi
{
    public sealed record CheckResultsQuery(int? Datastore, int? Container, int? Check, int? Operation, string? Result, bool? Latest);

    public sealed record ContainerScansQuery(int? Datastore, int? Container, int? Operation, bool? Latest);

    public static void MapScanResults(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/check-results").WithTags("Scan results").RequireMember().WithProblems()
            .MapGet("/", CheckResultsAsync).AcceptsOnlyQuery("datastore", "container", "check", "operation", "result", "latest", "page", "size");
        app.MapGroup("/api/container-scans").WithTags("Scan results").RequireMember().WithProblems()
            .MapGet("/", ContainerScansAsync).AcceptsOnlyQuery("datastore", "container", "operation", "latest", "page", "size");
    }

    private static async Task<Ok<Page<CheckResultDto>>> CheckResultsAsync(
        [AsParameters] CheckResultsQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
        var query = db.CheckResults.AsNoTracking().Where(r => visible.Any(d => d.Id == r.DatastoreId));
        if (filter.Datastore is int datastore) query = query.Where(r => r.DatastoreId == datastore);
        if (filter.Container is int container) query = query.Where(r => r.ContainerId == container);
        if (filter.Check is int check) query = query.Where(r => r.CheckId == check);
        if (filter.Operation is int operation) query = query.Where(r => r.OperationId == operation);
        if (!string.IsNullOrWhiteSpace(filter.Result))
        {
            var result = filter.Result.Trim().ToLowerInvariant();
            if (result is not (CheckOutcome.Passed or CheckOutcome.Failed or CheckOutcome.Unasserted))
                throw InvalidInputProblem.Single("result", $"'{filter.Result}' is not a result; use passed, failed or unasserted.");
            query = query.Where(r => r.Result == result);
        }
        if (filter.Latest == true) query = query.Where(r => !db.CheckResults.Any(newer => newer.CheckId == r.CheckId && newer.Id > r.Id));
        var (rows, total) = await query.OrderBy(r => r.ContainerId).ThenBy(r => r.CheckId).ThenByDescending(r => r.Id).ReadPageAsync(paging, ct);

        var containers = await CatalogFields.RefsAsync(db, rows.Select(r => r.ContainerId), ct);
        var checkIds = rows.Select(r => r.CheckId).Distinct().ToList();
        var checks = await db.QualityChecks.AsNoTracking().Where(c => checkIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Rule, c.FieldsJson }).ToDictionaryAsync(c => c.Id, ct);
        var items = rows.Select(r => new CheckResultDto(
            r.Id, r.OperationId, r.DatastoreId, r.ContainerId, new NamedRef(r.ContainerId, containers[r.ContainerId].Name), r.CheckId,
            checks[r.CheckId].Rule, AnomalyMapping.Fields(checks[r.CheckId].FieldsJson), r.Result, r.AssertedRecords, r.AnomalousRecords,
            r.Message, r.AnomalyId, r.CreatedAt)).ToList();
        return TypedResults.Ok(new Page<CheckResultDto>(items, total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<Page<ContainerScanDto>>> ContainerScansAsync(
        [AsParameters] ContainerScansQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
        var query = db.ContainerScans.AsNoTracking().Where(s => visible.Any(d => d.Id == s.DatastoreId));
        if (filter.Datastore is int datastore) query = query.Where(s => s.DatastoreId == datastore);
        if (filter.Container is int container) query = query.Where(s => s.ContainerId == container);
        if (filter.Operation is int operation) query = query.Where(s => s.OperationId == operation);
        if (filter.Latest == true) query = query.Where(s => !db.ContainerScans.Any(newer => newer.ContainerId == s.ContainerId && newer.Id > s.Id));
        var (rows, total) = await query.OrderBy(s => s.ContainerId).ThenByDescending(s => s.Id).ReadPageAsync(paging, ct);
        var containers = await CatalogFields.RefsAsync(db, rows.Select(s => s.ContainerId), ct);
        var items = rows.Select(s => new ContainerScanDto(
            s.Id, s.OperationId, s.DatastoreId, s.ContainerId, new NamedRef(s.ContainerId, containers[s.ContainerId].Name), s.RecordCount,
            s.ChecksPassed, s.ChecksFailed, s.ChecksUnasserted, s.Message, s.CreatedAt)).ToList();
        return TypedResults.Ok(new Page<ContainerScanDto>(items, total, paging.PageNumber, paging.PageSize));
    }
}
