namespace Quarry.Server.Access;

public static class TeamsApi
{
    public sealed record ListQuery(string? Name, string? Search);

    public static RouteGroupBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/teams").WithTags("Teams").RequireMember().WithProblems();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPost("/", CreateAsync).RequireManager();
        group.MapDelete("/{id:int}", DeleteAsync).RequireManager();
        group.MapPost("/{id:int}/members", AddMemberAsync).RequireManager();
        group.MapDelete("/{id:int}/members/{userId:int}", RemoveMemberAsync).RequireManager();
        return group;
    }

    private static IQueryable<TeamDto> Project(IQueryable<Team> teams) => teams.Select(t => new TeamDto(
        t.Id, t.Name, t.IsBuiltin,
        t.Members.OrderBy(m => m.User!.Name).Select(m => new TeamMemberDto(m.UserId, m.User!.Name, m.Permission)).ToList(),
        t.CreatedAt));

    private static async Task<Ok<Page<TeamDto>>> ListAsync([AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, CancellationToken ct)
    {
        var query = db.Teams.AsNoTracking().WhereNamed(filter.Name, filter.Search);
        return TypedResults.Ok(await Project(query.OrderBy(t => t.Id)).ToPageAsync(paging, ct));
    }

    private static async Task<Ok<TeamDto>> GetAsync(int id, QuarryDb db, CancellationToken ct) =>
        TypedResults.Ok(await Project(db.Teams.AsNoTracking().Where(t => t.Id == id)).FirstOrDefaultAsync(ct) ?? throw NotFoundProblem.For("team", id));

    private static async Task<Created<TeamDto>> CreateAsync(TeamRequest request, QuarryDb db, CancellationToken ct)
    {
        var name = Names.Require(request.Name);
        if (await db.Teams.AnyAsync(t => t.NameKey == Names.Key(name), ct))
            throw new ConflictProblem($"A team named '{name}' already exists (names are unique regardless of case).");
        var team = new Team { Name = name, NameKey = Names.Key(name), CreatedAt = DateTime.UtcNow };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/teams/{team.Id}", new TeamDto(team.Id, team.Name, false, [], team.CreatedAt));
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFoundProblem.For("team", id);
        if (team.IsBuiltin) throw new ConflictProblem($"The built-in team '{team.Name}' cannot be deleted.");
        var only = await db.Datastores.Where(d => d.Teams.Count == 1 && d.Teams.Any(t => t.TeamId == id)).Select(d => d.Name).Take(5).ToListAsync(ct);
        if (only.Count > 0)
            throw new ConflictProblem($"Team '{team.Name}' is the only team of datastores ({string.Join(", ", only)}); give them another team first.");
        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TeamDto>> AddMemberAsync(int id, TeamMemberRequest request, QuarryDb db, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFoundProblem.For("team", id);
        // PRODUCT.md: every member is a Viewer of Public. A member with more there could change every datastore made without teams.
        if (team.IsBuiltin)
            throw new ConflictProblem($"Every user is a Viewer of the built-in team '{team.Name}', and no one is more. To let someone change a datastore, put it in a team of theirs.");
        if (request.UserId is not int userId) throw InvalidInputProblem.Single("user_id", "is required.");
        if (request.Permission is not TeamPermission permission) throw InvalidInputProblem.Single("permission", "is required: Viewer, Author or Editor.");
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct)) throw InvalidInputProblem.Single("user_id", $"no user has id {userId}.");
        var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.TeamId == id && m.UserId == userId, ct);
        if (member is null) db.TeamMembers.Add(new TeamMember { TeamId = id, UserId = userId, Permission = permission });
        else member.Permission = permission;
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, db, ct);
    }

    private static async Task<NoContent> RemoveMemberAsync(int id, int userId, QuarryDb db, CancellationToken ct)
    {
        var deleted = await db.TeamMembers.Where(m => m.TeamId == id && m.UserId == userId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new NotFoundProblem($"User {userId} is not a member of team {id}.");
        return TypedResults.NoContent();
    }
}
