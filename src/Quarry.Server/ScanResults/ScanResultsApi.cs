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

/// <summary>What a scan recorded about one container, in one of its datastores: both listings narrow these the same way.</summary>
public interface IScanRecord : IContainerScoped
{
    int OperationId { get; }
    int DatastoreId { get; }
}

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
        var query = await VisibleAsync(db, access, db.CheckResults.AsNoTracking(), filter.Datastore, filter.Container, filter.Operation, ct);
        if (filter.Check is int check) query = query.Where(r => r.CheckId == check);
        if (!string.IsNullOrWhiteSpace(filter.Result))
        {
            var result = filter.Result.Trim().ToLowerInvariant();
            if (result is not (CheckOutcome.Passed or CheckOutcome.Failed or CheckOutcome.Unasserted))
                throw InvalidInputProblem.Single("result", $"'{filter.Result}' is not a result; use passed, failed or unasserted.");
            query = query.Where(r => r.Result == result);
        }
        if (filter.Latest == true) query = query.Where(r => !db.CheckResults.Any(newer => newer.CheckId == r.CheckId && newer.Id > r.Id));
        var (rows, total) = await query.OrderBy(r => r.ContainerId).ThenBy(r => r.CheckId).ThenByDescending(r => r.Id).ReadPageAsync(paging, ct);

        var checkIds = rows.Select(r => r.CheckId).Distinct().ToList();
        var checks = await db.QualityChecks.AsNoTracking().Where(c => checkIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Rule, c.FieldsJson }).ToDictionaryAsync(c => c.Id, ct);
        return TypedResults.Ok(await ContainerScoped.PageAsync(db, rows, total, paging, (r, container) => new CheckResultDto(
            r.Id, r.OperationId, r.DatastoreId, r.ContainerId, new NamedRef(container.Id, container.Name), r.CheckId,
            checks[r.CheckId].Rule, AnomalyMapping.Fields(checks[r.CheckId].FieldsJson), r.Result, r.AssertedRecords, r.AnomalousRecords,
            r.Message, r.AnomalyId, r.CreatedAt), ct));
    }

    private static async Task<Ok<Page<ContainerScanDto>>> ContainerScansAsync(
        [AsParameters] ContainerScansQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = await VisibleAsync(db, access, db.ContainerScans.AsNoTracking(), filter.Datastore, filter.Container, filter.Operation, ct);
        if (filter.Latest == true) query = query.Where(s => !db.ContainerScans.Any(newer => newer.ContainerId == s.ContainerId && newer.Id > s.Id));
        var (rows, total) = await query.OrderBy(s => s.ContainerId).ThenByDescending(s => s.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(await ContainerScoped.PageAsync(db, rows, total, paging, (s, container) => new ContainerScanDto(
            s.Id, s.OperationId, s.DatastoreId, s.ContainerId, new NamedRef(container.Id, container.Name), s.RecordCount,
            s.ChecksPassed, s.ChecksFailed, s.ChecksUnasserted, s.Message, s.CreatedAt), ct));
    }

    /// <summary>The rows of the datastores the caller sees, narrowed to one datastore, container or operation when the query names it.</summary>
    private static async Task<IQueryable<T>> VisibleAsync<T>(
        QuarryDb db, Access.Access access, IQueryable<T> rows, int? datastore, int? container, int? operation, CancellationToken ct)
        where T : class, IScanRecord
    {
        var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
        var query = rows.Where(r => visible.Any(d => d.Id == r.DatastoreId));
        if (datastore is int datastoreId) query = query.Where(r => r.DatastoreId == datastoreId);
        if (container is int containerId) query = query.Where(r => r.ContainerId == containerId);
        if (operation is int operationId) query = query.Where(r => r.OperationId == operationId);
        return query;
    }
}
