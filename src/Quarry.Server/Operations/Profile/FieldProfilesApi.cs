using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Operations.Profile;

/// <summary>
/// What profiles found: a container's field profiles (its latest profile, or the one <c>operation_id</c> names) and a
/// field's history, newest first. Readable by whoever may read the datastore.
/// </summary>
public static class FieldProfilesApi
{
    public sealed record ContainerQuery([property: FromQuery(Name = "operation_id")] int? OperationId);

    public static void MapFieldProfiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/containers/{id:int}/field-profiles", ContainerProfilesAsync).WithTags("Containers").RequireMember().WithProblems();
        app.MapGet("/api/fields/{id:int}/profiles", FieldHistoryAsync).WithTags("Containers").RequireMember().WithProblems();
    }

    private static async Task<Ok<Page<FieldProfileDto>>> ContainerProfilesAsync(
        int id, [AsParameters] ContainerQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await ContainersApi.EnsureReadableAsync(db, access, id, ct);
        var profiles = db.FieldProfiles.AsNoTracking().Where(p => p.ContainerId == id);
        var operationId = filter.OperationId ?? await profiles.MaxAsync(p => (int?)p.OperationId, ct);
        if (filter.OperationId is int asked && !await profiles.AnyAsync(p => p.OperationId == asked, ct))
            throw new NotFoundProblem($"Operation {asked} did not profile container {id}; GET /api/containers/{id}/field-profiles shows its latest profile.");
        var (items, total) = await profiles.Where(p => p.OperationId == operationId)
            .Join(db.Fields.AsNoTracking(), p => p.FieldId, f => f.Id, (p, f) => new { p, f.Ordinal })
            .OrderBy(x => x.Ordinal).Select(x => x.p).ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<FieldProfileDto>(items.Select(ToDto).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<Page<FieldProfileDto>>> FieldHistoryAsync(
        int id, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var datastoreId = await db.Fields.AsNoTracking().Where(f => f.Id == id)
            .Join(db.Containers.AsNoTracking(), f => f.ContainerId, c => c.Id, (f, c) => (int?)c.DatastoreId).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("field", id);
        await access.EnsureCanReadDatastoreAsync(datastoreId, NotFoundProblem.For("field", id), ct);
        var (items, total) = await db.FieldProfiles.AsNoTracking().Where(p => p.FieldId == id).OrderByDescending(p => p.OperationId).ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<FieldProfileDto>(items.Select(ToDto).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    public static FieldProfileDto ToDto(FieldProfile p) => new(
        p.Id, p.OperationId, p.ContainerId, p.FieldId, p.FieldName, p.DeclaredType, p.InferredType, p.Sampled, p.RecordCount, p.NullCount,
        p.DistinctCount, p.DistinctApproximate, p.MinValue, p.MaxValue, p.Mean, p.StdDev, p.Q1, p.Median, p.Q3, p.MinLength, p.MaxLength, p.MeanLength,
        JsonSerializer.Deserialize<List<TopValueDto>>(p.TopValuesJson, TopValuesJson) ?? [], p.CreatedAt);

    private static readonly JsonSerializerOptions TopValuesJson = new(JsonSerializerDefaults.Web);
}
