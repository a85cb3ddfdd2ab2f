namespace Quarry.Server.Datastores;

public static class DatastoreGroupsApi
{
    public sealed record ListQuery(string? Name, string? Search);

    public static RouteGroupBuilder MapDatastoreGroups(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datastore-groups").WithTags("Datastore groups").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync).RequireManager();
        group.MapPut("/{id:int}", UpdateAsync).RequireManager();
        group.MapDelete("/{id:int}", DeleteAsync).RequireManager();
        return group;
    }

    /// <summary>Groups as responses; <c>datastore_count</c> counts only the datastores the caller may see.</summary>
    private static async Task<IQueryable<DatastoreGroupDto>> ProjectAsync(QuarryDb db, Access.Access access, IQueryable<DatastoreGroup> groups, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(db.Datastores, ct);
        return groups.Select(g => new DatastoreGroupDto(g.Id, g.Name, g.Description, visible.Count(d => d.GroupId == g.Id), g.CreatedAt));
    }

    private static async Task<Ok<Page<DatastoreGroupDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = db.DatastoreGroups.AsNoTracking().WhereNamed(filter.Name, filter.Search);
        return TypedResults.Ok(await (await ProjectAsync(db, access, query.OrderBy(g => g.Id), ct)).ToPageAsync(paging, ct));
    }

    private static async Task<Ok<DatastoreGroupDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct) =>
        TypedResults.Ok(await (await ProjectAsync(db, access, db.DatastoreGroups.Where(g => g.Id == id), ct)).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("datastore group", id));

    private static async Task<Created<DatastoreGroupDto>> CreateAsync(DatastoreGroupRequest request, QuarryDb db, CancellationToken ct)
    {
        var name = Names.Require(request.Name);
        CheckDescription(request);
        await EnsureNameFreeAsync(db, name, null, ct);
        var group = new DatastoreGroup { Name = name, NameKey = Names.Key(name), Description = request.Description, CreatedAt = DateTime.UtcNow };
        db.DatastoreGroups.Add(group);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/datastore-groups/{group.Id}", new DatastoreGroupDto(group.Id, group.Name, group.Description, 0, group.CreatedAt));
    }

    private static async Task<Ok<DatastoreGroupDto>> UpdateAsync(int id, DatastoreGroupRequest request, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var group = await db.DatastoreGroups.FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFoundProblem.For("datastore group", id);
        if (request.Name is not null)
        {
            group.Name = Names.Require(request.Name);
            group.NameKey = Names.Key(group.Name);
            await EnsureNameFreeAsync(db, group.Name, id, ct);
        }
        CheckDescription(request);
        if (request.Description is not null) group.Description = request.Description.Length == 0 ? null : request.Description;
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, db, access, ct);
    }

    private static void CheckDescription(DatastoreGroupRequest request)
    {
        if (InputLimits.TooLong(request.Description, InputLimits.DescriptionLength) is { } tooLong) throw InvalidInputProblem.Single("description", tooLong);
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, CancellationToken ct)
    {
        var group = await db.DatastoreGroups.FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFoundProblem.For("datastore group", id);
        // Datastores stay; they just leave the group (ON DELETE SET NULL), done explicitly so SQLite and PostgreSQL agree.
        await db.Datastores.Where(d => d.GroupId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.GroupId, (int?)null), ct);
        db.DatastoreGroups.Remove(group);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task EnsureNameFreeAsync(QuarryDb db, string name, int? exceptId, CancellationToken ct)
    {
        var key = Names.Key(name);
        if (await db.DatastoreGroups.AnyAsync(g => g.NameKey == key && g.Id != exceptId, ct))
            throw new ConflictProblem($"A datastore group named '{name}' already exists (names are unique regardless of case).");
    }
}
