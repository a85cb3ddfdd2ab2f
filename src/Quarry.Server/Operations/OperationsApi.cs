using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Operations;

public static class OperationsApi
{
    /// <summary>
    /// <c>datastore</c> may repeat or list ids with commas; <c>operation_type</c> is what Qualytics clients call
    /// <c>type</c>; <c>finished</c> keeps finished (true) or queued and running (false) operations; <c>start_date</c> and
    /// <c>end_date</c> bound when they were created; <c>sort_created</c> is <c>desc</c> (newest first, the default) or <c>asc</c>.
    /// </summary>
    public sealed record ListQuery(
        string[]? Datastore, string? Result, string? Type,
        [property: FromQuery(Name = "operation_type")] string? OperationType,
        bool? Finished,
        [property: FromQuery(Name = "start_date")] DateTime? StartDate,
        [property: FromQuery(Name = "end_date")] DateTime? EndDate,
        [property: FromQuery(Name = "sort_created")] string? SortCreated);

    public static RouteGroupBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations").WithTags("Operations").RequireMember().WithProblems();
        group.MapPost("/run", RunAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPut("/abort/{id:int}", AbortAsync);
        return group;
    }

    /// <summary>
    /// Queues an operation of one type (any type that has a runner) for each datastore (all or none: every datastore is checked first). Answers 202 with the
    /// operation, or with the list of operations when the body gave <c>datastore_ids</c>.
    /// </summary>
    private static async Task<Results<Accepted<OperationDto>, Accepted<List<OperationDto>>>> RunAsync(
        RunOperationRequest request, QuarryDb db, Access.Access access, OperationTypes types, IServiceProvider services, CancellationToken ct)
    {
        var type = types.Resolve(request.Type) ?? throw InvalidInputProblem.Single("type", types.Expected());
        var runner = services.GetRequiredKeyedService<IOperationRunner>(type);
        var ids = (request.DatastoreIds ?? []).Concat(request.DatastoreId is int one ? [one] : []).Distinct().ToList();
        if (ids.Count == 0) throw InvalidInputProblem.Single("datastore_id", $"is required: the datastore to {type} (or datastore_ids for several).");
        var parameters = runner.ParametersOf(request);

        // A datastore outside the caller's teams is named among the missing ones, as if it did not exist.
        var existing = await db.Datastores.AsNoTracking().Where(d => ids.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        var seen = new List<int>();
        foreach (var id in existing)
            if (await access.CanReadDatastoreAsync(id, ct)) seen.Add(id);
        var missing = ids.Except(seen).ToList();
        if (missing.Count > 0) throw new NotFoundProblem($"No datastore has id {string.Join(", ", missing)}; nothing was queued.");
        foreach (var id in ids) await access.EnsureCanOperateDatastoreAsync(id, ct);
        foreach (var id in ids) await runner.EnsureCanRunAsync(db, id, ct);

        var operations = ids.Select(id => OperationQueue.Enqueue(db, type, id, access.UserId, parameters)).ToList();
        await db.SaveChangesAsync(ct);
        var dtos = operations.Select(o => o.ToDto()).ToList();
        return request.DatastoreIds is null
            ? TypedResults.Accepted($"/api/operations/{dtos[0].Id}", dtos[0])
            : TypedResults.Accepted("/api/operations", dtos);
    }

    private static async Task<Ok<Page<OperationDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
        var query = db.Operations.AsNoTracking().Where(o => visible.Any(d => d.Id == o.DatastoreId));
        var datastores = QueryValues.Ints(filter.Datastore, "datastore");
        if (datastores.Count > 0) query = query.Where(o => datastores.Contains(o.DatastoreId));
        foreach (var type in new[] { filter.Type, filter.OperationType }.Where(t => !string.IsNullOrWhiteSpace(t)))
            query = query.Where(o => o.Type == type!.Trim().ToLowerInvariant());
        if (filter.Finished is bool finished)
            query = finished ? query.Where(o => o.State == OperationState.Finished) : query.Where(o => o.State != OperationState.Finished);
        if (filter.StartDate is DateTime from) query = query.Where(o => o.CreatedAt >= from.ToUniversalTime());
        if (filter.EndDate is DateTime to) query = query.Where(o => o.CreatedAt <= to.ToUniversalTime());
        if (!string.IsNullOrWhiteSpace(filter.Result))
        {
            var result = filter.Result.Trim().ToLowerInvariant();
            if (result is not (OperationResult.Running or OperationResult.Success or OperationResult.Failure or OperationResult.Aborted))
                throw InvalidInputProblem.Single("result", "must be one of: running, success, failure, aborted.");
            query = query.Where(o => o.Result == result);
        }
        var ordered = QueryValues.OneOf(filter.SortCreated ?? "desc", ["desc", "asc"], "sort_created") == "asc"
            ? query.OrderBy(o => o.Id)
            : query.OrderByDescending(o => o.Id);
        var (items, total) = await ordered.ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<OperationDto>(items.Select(o => o.ToDto()).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<OperationDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var operation = await FindAsync(db, id, ct);
        await access.EnsureCanReadDatastoreAsync(operation.DatastoreId, NotFoundProblem.For("operation", id), ct);
        return TypedResults.Ok(operation.ToDto());
    }

    /// <summary>
    /// A queued operation ends as aborted at once; a running one is asked to stop and ends as aborted shortly after;
    /// a finished one is left as it ended.
    /// </summary>
    private static async Task<Ok<OperationDto>> AbortAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var operation = await FindAsync(db, id, ct);
        await access.EnsureCanOperateDatastoreAsync(operation.DatastoreId, NotFoundProblem.For("operation", id), ct);
        var now = DateTime.UtcNow;
        var abortedQueued = await db.Operations.Where(o => o.Id == id && o.State == OperationState.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OperationState.Finished)
                .SetProperty(o => o.Result, OperationResult.Aborted)
                .SetProperty(o => o.AbortRequested, true)
                .SetProperty(o => o.Message, "Aborted by a user before it started.")
                .SetProperty(o => o.EndTime, now), ct);
        if (abortedQueued == 0)
        {
            await db.Operations.Where(o => o.Id == id && o.State == OperationState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.AbortRequested, true), ct);
            // Already finished (perhaps between the read above and now): as Qualytics does, the answer is the operation
            // as it ended, with its result, so a client that aborts late learns how it went instead of getting an error.
        }
        return TypedResults.Ok((await FindAsync(db, id, ct)).ToDto());
    }

    private static async Task<Operation> FindAsync(QuarryDb db, int id, CancellationToken ct) =>
        await db.Operations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw NotFoundProblem.For("operation", id);
}
