namespace Quarry.Server.Quality;

public static class ComputedContainersApi
{
    public sealed record ListQuery(int? Datastore, string? Name, string? Type);

    public static RouteGroupBuilder MapComputedContainers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/computed-containers").WithTags("Computed containers").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        return group;
    }

    private static async Task<Ok<Page<ComputedContainerDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var query = (await ContainerScoped.VisibleContainersAsync(db, access, ct))
            .Where(c => c.ContainerType == ComputedKinds.Table || c.ContainerType == ComputedKinds.Join);
        if (filter.Datastore is int datastore) query = query.Where(c => c.DatastoreId == datastore);
        if (!string.IsNullOrWhiteSpace(filter.Name)) query = query.Where(c => c.Name.ToLower() == filter.Name.Trim().ToLower());
        if (!string.IsNullOrWhiteSpace(filter.Type)) query = query.Where(c => c.ContainerType == filter.Type.Trim().ToLowerInvariant());
        var (rows, total) = await query.OrderBy(c => c.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<ComputedContainerDto>(await ReadAsync(db, rows, ct), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<ComputedContainerDto>> GetAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var container = await FindVisibleAsync(db, access, id, tracking: false, ct);
        return TypedResults.Ok((await ReadAsync(db, [container], ct))[0]);
    }

    internal static async Task<Created<ComputedContainerDto>> CreateAsync(
        ComputedContainerRequest request, QuarryDb db, ComputedContainerService service, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var container = await service.CreateAsync(request, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/computed-containers/{container.Id}", (await ReadAsync(db, [container], ct))[0]);
    }

    internal static async Task<Ok<ComputedContainerDto>> UpdateAsync(
        int id, ComputedContainerRequest request, QuarryDb db, ComputedContainerService service, Access.Access access, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var container = await FindVisibleAsync(db, access, id, tracking: true, ct);
        var definition = await db.ComputedContainers.FirstAsync(c => c.ContainerId == id, ct);
        await service.UpdateAsync(container, definition, request, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await ReadAsync(db, [container], ct))[0]);
    }

    internal static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var container = await FindVisibleAsync(db, access, id, tracking: false, ct);
        await access.EnsureCanAuthorDatastoreAsync(container.DatastoreId, ct);
        var readers = await (from d in db.ComputedContainers
                             join c in db.Containers on d.ContainerId equals c.Id
                             where d.LeftContainerId == id || d.RightContainerId == id
                             orderby c.Name
                             select c.Name).ToListAsync(ct);
        if (readers.Count > 0)
            throw new ConflictProblem($"Computed container '{container.Name}' is read by computed join(s) {string.Join(", ", readers)}; delete or change them first.");
        // The definition, fields, computed fields and checks of the container go with it (ON DELETE CASCADE).
        await db.Containers.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The computed container <paramref name="id"/>, or a 404 when there is none or the caller does not see its datastore.</summary>
    private static async Task<Container> FindVisibleAsync(QuarryDb db, Access.Access access, int id, bool tracking, CancellationToken ct)
    {
        var query = tracking ? db.Containers : db.Containers.AsNoTracking();
        var container = await query.FirstOrDefaultAsync(c => c.Id == id && (c.ContainerType == ComputedKinds.Table || c.ContainerType == ComputedKinds.Join), ct)
            ?? throw NotFoundProblem.For("computed container", id);
        await access.EnsureSeesAsync(container.DatastoreId, NotFoundProblem.For("computed container", id), ct);
        return container;
    }

    /// <summary>Builds the responses for a page of computed containers in a few set-based queries.</summary>
    public static async Task<List<ComputedContainerDto>> ReadAsync(QuarryDb db, IReadOnlyList<Container> containers, CancellationToken ct)
    {
        var ids = containers.Select(c => c.Id).ToList();
        var definitions = await db.ComputedContainers.AsNoTracking().Where(d => ids.Contains(d.ContainerId)).ToDictionaryAsync(d => d.ContainerId, ct);
        var sideIds = definitions.Values.SelectMany(d => new[] { d.LeftContainerId, d.RightContainerId }).OfType<int>().Distinct().ToList();
        var sides = await db.Containers.AsNoTracking().Where(c => sideIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var datastoreIds = containers.Select(c => c.DatastoreId).Distinct().ToList();
        var datastores = await db.Datastores.AsNoTracking().Where(d => datastoreIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var fields = (await db.Fields.AsNoTracking().Where(f => ids.Contains(f.ContainerId) && !f.Removed).OrderBy(f => f.Ordinal)
            .Select(f => new { f.ContainerId, f.Name }).ToListAsync(ct)).ToLookup(f => f.ContainerId, f => f.Name);

        NamedRef? Side(int? id) => id is int i && sides.TryGetValue(i, out var name) ? new NamedRef(i, name) : null;
        return containers.Select(c =>
        {
            var d = definitions[c.Id];
            return new ComputedContainerDto(c.Id, c.Name, c.ContainerType, c.DatastoreId, new NamedRef(c.DatastoreId, datastores[c.DatastoreId]),
                d.Query, Side(d.LeftContainerId), Side(d.RightContainerId), d.JoinType, d.LeftField, d.RightField,
                QualityJson.Strings(d.LeftSelectJson), QualityJson.Strings(d.RightSelectJson), d.SelectClause, d.LeftPrefix, d.RightPrefix,
                d.WhereClause, d.GroupByClause, d.Description, fields[c.Id].ToList(), c.CreatedAt, c.UpdatedAt);
        }).ToList();
    }
}
