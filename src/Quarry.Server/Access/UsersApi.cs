namespace Quarry.Server.Access;

public static class UsersApi
{
    /// <summary><c>role</c> is read as text: ASP.NET Core would bind any number to an enum (<c>?role=99</c>).</summary>
    public sealed record ListQuery(string? Name, string? Search, string? Role);

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", MeAsync).WithTags("Users").RequireMember().WithProblems();

        var users = app.MapGroup("/api/users").WithTags("Users").RequireMember().WithProblems();
        users.MapGet("/", ListAsync).RequireAdmin();
        users.MapGet("/{id:int}", GetAsync).RequireAdmin();
        users.MapPost("/", CreateAsync).RequireAdmin();
        users.MapPut("/{id:int}", UpdateAsync).RequireAdmin();
        users.MapPost("/{id:int}/tokens", CreateTokenAsync);

        var tokens = app.MapGroup("/api/tokens").WithTags("Tokens").RequireMember().WithProblems();
        tokens.MapGet("/", ListTokensAsync);
        tokens.MapDelete("/{id:int}", DeleteTokenAsync);
        return users;
    }

    private static IQueryable<UserDto> Project(IQueryable<User> users) => users.Select(u => new UserDto(
        u.Id, u.Name, u.Email, u.Role,
        u.Memberships.OrderBy(m => m.Team!.Name).Select(m => new TeamMembershipDto(m.TeamId, m.Team!.Name, m.Permission)).ToList(),
        u.CreatedAt));

    private static async Task<Ok<MeDto>> MeAsync(QuarryDb db, Access access, CancellationToken ct)
    {
        var user = await Project(db.Users.AsNoTracking().Where(u => u.Id == access.UserId)).FirstAsync(ct);
        return TypedResults.Ok(new MeDto(user.Id, user.Name, user.Role, user.Teams));
    }

    private static async Task<Ok<Page<UserDto>>> ListAsync([AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking().WhereNamed(filter.Name, filter.Search);
        if (filter.Role is not null)
        {
            var role = EnumNames.Parse<Role>(filter.Role, "role");
            query = query.Where(u => u.Role == role);
        }
        return TypedResults.Ok(await Project(query.OrderBy(u => u.Id)).ToPageAsync(paging, ct));
    }

    private static async Task<Ok<UserDto>> GetAsync(int id, QuarryDb db, CancellationToken ct) =>
        TypedResults.Ok(await Project(db.Users.AsNoTracking().Where(u => u.Id == id)).FirstOrDefaultAsync(ct) ?? throw NotFoundProblem.For("user", id));

    private static async Task<Created<UserDto>> CreateAsync(UserRequest request, QuarryDb db, CancellationToken ct)
    {
        var name = Names.Require(request.Name);
        if (request.Role is null) throw InvalidInputProblem.Single("role", "is required: Admin, Manager or Member.");
        if (await db.Users.AnyAsync(u => u.NameKey == Names.Key(name), ct))
            throw new ConflictProblem($"A user named '{name}' already exists (names are unique regardless of case).");
        var user = new User { Name = name, NameKey = Names.Key(name), Email = request.Email, Role = request.Role.Value, CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/users/{user.Id}", new UserDto(user.Id, user.Name, user.Email, user.Role, [], user.CreatedAt));
    }

    private static async Task<Ok<UserDto>> UpdateAsync(int id, UserRequest request, QuarryDb db, Access access, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var lowering = request.Role is Role wanted && wanted != Role.Admin;
        if (lowering) await AdminGuard.LockAsync(db, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw NotFoundProblem.For("user", id);
        if (request.Name is not null)
        {
            user.Name = Names.Require(request.Name);
            user.NameKey = Names.Key(user.Name);
            if (await db.Users.AnyAsync(u => u.NameKey == user.NameKey && u.Id != id, ct))
                throw new ConflictProblem($"A user named '{user.Name}' already exists.");
        }
        if (request.Email is not null) user.Email = request.Email.Length == 0 ? null : request.Email;
        if (request.Role is Role role)
        {
            if (id == access.UserId && role != Role.Admin)
                throw new ConflictProblem("You cannot lower your own role; another Admin must do it, so the server always keeps an Admin.");
            if (lowering && user.Role == Role.Admin) await AdminGuard.EnsureAnotherAdminRemainsAsync(db, id, user.Name, access.UserId, ct);
            user.Role = role;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(id, db, ct);
    }

    private static async Task<Created<NewTokenDto>> CreateTokenAsync(int id, TokenRequest request, QuarryDb db, Access access, CancellationToken ct)
    {
        if (id != access.UserId) access.EnsureRole(Role.Admin, "Creating a token for another user");
        if (!await db.Users.AnyAsync(u => u.Id == id, ct)) throw NotFoundProblem.For("user", id);
        var name = Names.Require(request.Name);
        var now = DateTime.UtcNow;
        var expires = Tokens.ParseLifetime(request.ExpiresIn, "expires_in") is TimeSpan lifetime ? now + lifetime : (DateTime?)null;
        var value = Tokens.Generate(id, now, expires);
        var token = new ApiToken { UserId = id, Name = name, TokenHash = Tokens.Hash(value), CreatedAt = now, ExpiresAt = expires };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/tokens/{token.Id}", new NewTokenDto(token.Id, token.Name, id, value, token.CreatedAt, token.ExpiresAt));
    }

    private static async Task<Ok<Page<TokenDto>>> ListTokensAsync([AsParameters] PageQuery paging, QuarryDb db, Access access, CancellationToken ct)
    {
        var userId = access.UserId;
        return TypedResults.Ok(await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Id)
            .Select(t => new TokenDto(t.Id, t.Name, t.UserId, t.CreatedAt, t.LastUsedAt, t.ExpiresAt)).ToPageAsync(paging, ct));
    }

    private static async Task<NoContent> DeleteTokenAsync(int id, QuarryDb db, Access access, CancellationToken ct)
    {
        var userId = access.UserId;
        var deleted = await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new NotFoundProblem($"You have no token with id {id}.");
        return TypedResults.NoContent();
    }
}
