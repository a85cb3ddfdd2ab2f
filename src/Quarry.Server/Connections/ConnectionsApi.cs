namespace Quarry.Server.Connections;

public static class ConnectionsApi
{
    public sealed record ListQuery(string? Name, string? Search, string? Type);

    public static RouteGroupBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/connections").WithTags("Connections").RequireMember().WithProblems();

        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync).RequireManager();
        group.MapPut("/{id:int}", UpdateAsync).RequireManager();
        group.MapDelete("/{id:int}", DeleteAsync).RequireManager();
        return group;
    }

    private static async Task<Ok<Page<ConnectionDto>>> ListAsync(
        [AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, ConnectionService service, CancellationToken ct)
    {
        var query = db.Connections.AsNoTracking().WhereNamed(filter.Name, filter.Search);
        if (!string.IsNullOrWhiteSpace(filter.Type)) query = query.Where(c => c.Type == filter.Type.Trim().ToLowerInvariant());
        var (items, total) = await query.OrderBy(c => c.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<ConnectionDto>(items.Select(service.ToDto).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<ConnectionDto>> GetAsync(int id, QuarryDb db, ConnectionService service, CancellationToken ct) =>
        TypedResults.Ok(service.ToDto(await FindAsync(db, id, ct)));

    private static async Task<Created<ConnectionDto>> CreateAsync(ConnectionRequest request, QuarryDb db, ConnectionService service, CancellationToken ct)
    {
        var connection = service.Create(request);
        await EnsureNameFreeAsync(db, connection.NameKey, null, ct);
        db.Connections.Add(connection);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/connections/{connection.Id}", service.ToDto(connection));
    }

    private static async Task<Ok<ConnectionDto>> UpdateAsync(int id, ConnectionRequest request, QuarryDb db, ConnectionService service, CancellationToken ct)
    {
        var connection = await FindAsync(db, id, ct, tracking: true);
        await service.UpdateAsync(connection, request, ct);
        await EnsureNameFreeAsync(db, connection.NameKey, id, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(service.ToDto(connection));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, CancellationToken ct)
    {
        var connection = await FindAsync(db, id, ct, tracking: true);
        if (await DatastoreReader.FirstNamesAsync(db.Datastores.Where(d => d.ConnectionId == id), ct) is { } users)
            throw new ConflictProblem($"Connection '{connection.Name}' is used by datastores ({users}); delete them first.");
        db.Connections.Remove(connection);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Connection> FindAsync(QuarryDb db, int id, CancellationToken ct, bool tracking = false)
    {
        var query = tracking ? db.Connections : db.Connections.AsNoTracking();
        return await query.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFoundProblem.For("connection", id);
    }

    private static async Task EnsureNameFreeAsync(QuarryDb db, string nameKey, int? exceptId, CancellationToken ct)
    {
        if (await db.Connections.AnyAsync(c => c.NameKey == nameKey && c.Id != exceptId, ct))
            throw new ConflictProblem($"A connection named '{nameKey}' already exists (names are unique regardless of case). Choose another name or update that connection.");
    }
}
