using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Datastores;

public static class DatastoresApi
{
    // Query names are bound as written, not through the JSON naming policy, so the snake_case ones are spelled out.
    public sealed record ListQuery(
        string? Name, string? Search, string? Type, string? Tag,
        [property: FromQuery(Name = "enrichment_only")] bool? EnrichmentOnly,
        [property: FromQuery(Name = "connection_id")] int? ConnectionId,
        [property: FromQuery(Name = "group_id")] int? GroupId,
        string? Team,
        [property: FromQuery(Name = "datastore_type")] string? DatastoreType);

    public sealed record LinkQuery([property: FromQuery(Name = "enrichment_prefix")] string? EnrichmentPrefix);

    public static RouteGroupBuilder MapDatastores(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datastores").WithTags("Datastores").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync).RequireManager();
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync).RequireManager();
        group.MapPatch("/{id:int}/enrichment/{enrichId:int}", LinkEnrichmentAsync);
        group.MapDelete("/{id:int}/enrichment", UnlinkEnrichmentAsync);
        return group;
    }

    private static async Task<Ok<Page<DatastoreDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).WhereNamed(filter.Name, filter.Search);
        // `datastore_type` is what Qualytics clients call `type`.
        foreach (var type in new[] { filter.Type, filter.DatastoreType }.Where(t => !string.IsNullOrWhiteSpace(t)))
            query = query.Where(d => d.Connection!.Type == type!.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(filter.Tag)) query = query.Where(d => d.Tags.Any(t => t.Name.ToLower() == filter.Tag.Trim().ToLowerInvariant()));
        if (filter.EnrichmentOnly is bool enrichment) query = query.Where(d => d.EnrichmentOnly == enrichment);
        if (filter.ConnectionId is int connectionId) query = query.Where(d => d.ConnectionId == connectionId);
        if (filter.GroupId is int groupId) query = query.Where(d => d.GroupId == groupId);
        if (!string.IsNullOrWhiteSpace(filter.Team)) query = query.Where(d => d.Teams.Any(t => t.Team!.NameKey == Names.Key(filter.Team)));

        paging.Validate();
        var ordered = query.OrderBy(d => d.Id);
        var total = await ordered.CountAsync(ct);
        var items = await DatastoreReader.ReadAsync(db, ordered.Skip(paging.Skip).Take(paging.PageSize), ct);
        return TypedResults.Ok(new Page<DatastoreDto>(items, total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<DatastoreDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await access.EnsureCanReadDatastoreAsync(id, ct);
        return TypedResults.Ok(await DatastoreReader.ReadOneAsync(db, id, ct));
    }

    private static async Task<Created<DatastoreDto>> CreateAsync(
        DatastoreRequest request, QuarryDb db, DatastoreService service, Access.Access access, CancellationToken ct)
    {
        var datastore = await service.CreateAsync(request, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Datastores.Add(datastore);
        await db.SaveChangesAsync(ct);
        service.TriggerSyncIfAsked(datastore, request, access.UserId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/datastores/{datastore.Id}", await DatastoreReader.ReadOneAsync(db, datastore.Id, ct));
    }

    private static async Task<Ok<DatastoreDto>> UpdateAsync(
        int id, DatastoreRequest request, QuarryDb db, DatastoreService service, Access.Access access, CancellationToken ct)
    {
        await access.EnsureCanUpdateDatastoreAsync(id, ct);
        var datastore = await LoadForUpdateAsync(db, id, ct);
        await service.UpdateAsync(datastore, request, ct);
        await db.SaveChangesAsync(ct);
        service.TriggerSyncIfAsked(datastore, request, access.UserId);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DatastoreReader.ReadOneAsync(db, id, ct));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, CancellationToken ct)
    {
        var datastore = await db.Datastores.FirstOrDefaultAsync(d => d.Id == id, ct) ?? throw NotFoundProblem.For("datastore", id);
        if (await DatastoreReader.FirstNamesAsync(db.Datastores.Where(d => d.EnrichmentDatastoreId == id), ct) is { } linked)
            throw new ConflictProblem($"Datastore '{datastore.Name}' is the enrichment datastore of {linked}; unlink them first (DELETE /api/datastores/{{id}}/enrichment).");
        db.Datastores.Remove(datastore);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<DatastoreDto>> LinkEnrichmentAsync(
        int id, int enrichId, [AsParameters] LinkQuery query, QuarryDb db, DatastoreService service, Access.Access access, CancellationToken ct)
    {
        await access.EnsureCanUpdateDatastoreAsync(id, ct);
        var datastore = await LoadForUpdateAsync(db, id, ct);
        if (!await db.Datastores.AnyAsync(d => d.Id == enrichId, ct)) throw NotFoundProblem.For("datastore", enrichId);
        await access.EnsureSeesAsync(enrichId, NotFoundProblem.For("datastore", enrichId), ct);
        await service.UpdateAsync(datastore, new DatastoreRequest { EnrichmentDatastoreId = enrichId, EnrichmentPrefix = query.EnrichmentPrefix }, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DatastoreReader.ReadOneAsync(db, id, ct));
    }

    private static async Task<Ok<DatastoreDto>> UnlinkEnrichmentAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await access.EnsureCanUpdateDatastoreAsync(id, ct);
        var datastore = await LoadForUpdateAsync(db, id, ct);
        datastore.EnrichmentDatastoreId = null;
        datastore.EnrichmentPrefix = null;
        datastore.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DatastoreReader.ReadOneAsync(db, id, ct));
    }

    public static async Task<Datastore> LoadForUpdateAsync(QuarryDb db, int id, CancellationToken ct) =>
        await db.Datastores.Include(d => d.Teams).Include(d => d.Tags).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, ct)
            ?? throw NotFoundProblem.For("datastore", id);
}
