using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Quarry.Server.Access;

/// <summary>Named authorization policies: the minimum role an endpoint group needs.</summary>
public static class Policies
{
    public const string Member = nameof(Role.Member);
    public const string Manager = nameof(Role.Manager);
    public const string Admin = nameof(Role.Admin);

    public static AuthorizationBuilder AddQuarryPolicies(this AuthorizationBuilder builder)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            var allowed = Enum.GetValues<Role>().Where(r => r >= role).Select(r => r.ToString()).ToArray();
            builder.AddPolicy(role.ToString(), policy => policy.RequireAuthenticatedUser().RequireRole(allowed));
        }
        return builder;
    }

    public static TBuilder RequireMember<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Member);

    public static TBuilder RequireManager<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Manager);

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Admin);
}

/// <summary>
/// The one place that decides what the caller may do with a datastore. Roles gate whole endpoints
/// (<see cref="Policies"/>); this class adds the per-team rules: Members see datastores of their teams
/// (every Member is a Viewer of <c>Public</c>) and update them as Editors; Managers and Admins may do anything.
/// </summary>
public sealed class Access(IHttpContextAccessor http, QuarryDb db)
{
    private Dictionary<int, TeamPermission>? _permissions;

    public int UserId => int.Parse(Principal.FindFirstValue(TokenAuthenticationHandler.UserIdClaim)!, System.Globalization.CultureInfo.InvariantCulture);

    public Role Role => Enum.Parse<Role>(Principal.FindFirstValue(ClaimTypes.Role)!);

    public bool IsAtLeast(Role role) => Role >= role;

    private ClaimsPrincipal Principal => http.HttpContext?.User ?? throw new InvalidOperationException("No caller outside a request.");

    /// <summary>The caller's permission per team id, including the implicit Viewer of the Public team.</summary>
    public async Task<IReadOnlyDictionary<int, TeamPermission>> TeamPermissionsAsync(CancellationToken ct = default)
    {
        if (_permissions is not null) return _permissions;
        var userId = UserId;
        var permissions = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId)
            .ToDictionaryAsync(m => m.TeamId, m => m.Permission, ct);
        var publicTeam = await db.Teams.AsNoTracking().Where(t => t.IsBuiltin && t.NameKey == "public").Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
        if (publicTeam is int id) permissions.TryAdd(id, TeamPermission.Viewer);
        return _permissions = permissions;
    }

    /// <summary>Limits a datastore query to what the caller may see.</summary>
    public async Task<IQueryable<Datastore>> VisibleAsync(IQueryable<Datastore> datastores, CancellationToken ct = default)
    {
        if (IsAtLeast(Role.Manager)) return datastores;
        var teams = (await TeamPermissionsAsync(ct)).Keys.ToList();
        return datastores.Where(d => d.Teams.Any(t => teams.Contains(t.TeamId)));
    }

    public Task<bool> CanReadDatastoreAsync(int datastoreId, CancellationToken ct = default) =>
        HasPermissionAsync(datastoreId, TeamPermission.Viewer, ct);

    /// <summary>Running operations on a datastore needs Author in one of its teams.</summary>
    public Task<bool> CanOperateDatastoreAsync(int datastoreId, CancellationToken ct = default) =>
        HasPermissionAsync(datastoreId, TeamPermission.Author, ct);

    /// <summary>
    /// Defining quality checks, computed fields and computed containers needs Author in one of the datastore's
    /// teams: authoring what is checked is the same trust as running operations on it.
    /// </summary>
    public async Task EnsureCanAuthorDatastoreAsync(int datastoreId, CancellationToken ct = default)
    {
        // A config import asks this once per check; the answer can't change within one request.
        if (_authors.Contains(datastoreId)) return;
        await EnsurePermissionAsync(datastoreId, TeamPermission.Author, NotFoundProblem.For("datastore", datastoreId),
            $"Changing checks, computed fields or computed containers of datastore {datastoreId} needs the Author or Editor permission in one of its teams, or the Manager role.", ct);
        _authors.Add(datastoreId);
    }

    private readonly HashSet<int> _authors = [];

    /// <summary>
    /// Throws <paramref name="missing"/>, the answer for something that does not exist, when the datastore it belongs to
    /// is outside the caller's teams: what a caller cannot see answers exactly as what does not exist, so that guessing
    /// ids or names tells nothing.
    /// </summary>
    public async Task EnsureSeesAsync(int datastoreId, QuarryProblem missing, CancellationToken ct = default)
    {
        if (!await CanReadDatastoreAsync(datastoreId, ct)) throw missing;
    }

    /// <summary>
    /// Reading a datastore, or something of it, needs any permission in one of its teams (Public counts as Viewer).
    /// Outside its teams the answer is what asking about something that does not exist answers: the datastore's own
    /// 404 here, or <c>missing</c> in the overloads taking it, never a 403 that would confirm it exists.
    /// </summary>
    public Task EnsureCanReadDatastoreAsync(int datastoreId, CancellationToken ct = default) =>
        EnsureCanReadDatastoreAsync(datastoreId, NotFoundProblem.For("datastore", datastoreId), ct);

    public async Task EnsureCanReadDatastoreAsync(int datastoreId, QuarryProblem missing, CancellationToken ct = default)
    {
        await EnsureExistsAsync(datastoreId, ct);
        await EnsureSeesAsync(datastoreId, missing, ct);
    }

    /// <summary>Updating a datastore (fields, enrichment link) needs Editor in one of its teams; outside its teams it answers as reading does.</summary>
    public Task EnsureCanUpdateDatastoreAsync(int datastoreId, CancellationToken ct = default) =>
        EnsureCanUpdateDatastoreAsync(datastoreId, NotFoundProblem.For("datastore", datastoreId), ct);

    public Task EnsureCanUpdateDatastoreAsync(int datastoreId, QuarryProblem missing, CancellationToken ct = default) =>
        EnsurePermissionAsync(datastoreId, TeamPermission.Editor, missing,
            $"Updating datastore {datastoreId} needs the Editor permission in one of its teams, or the Manager role.", ct);

    /// <summary>Running operations needs Author in one of the datastore's teams; outside its teams it answers as reading does.</summary>
    public Task EnsureCanOperateDatastoreAsync(int datastoreId, CancellationToken ct = default) =>
        EnsureCanOperateDatastoreAsync(datastoreId, NotFoundProblem.For("datastore", datastoreId), ct);

    public Task EnsureCanOperateDatastoreAsync(int datastoreId, QuarryProblem missing, CancellationToken ct = default) =>
        EnsurePermissionAsync(datastoreId, TeamPermission.Author, missing,
            $"Running operations on datastore {datastoreId} needs the Author or Editor permission in one of its teams, or the Manager role.", ct);

    /// <summary>
    /// Reading comes first, so that outside the datastore's teams the answer is <paramref name="missing"/> (as for what
    /// does not exist); seeing it without <paramref name="needed"/> is a 403 saying <paramref name="refusal"/>.
    /// </summary>
    private async Task EnsurePermissionAsync(int datastoreId, TeamPermission needed, QuarryProblem missing, string refusal, CancellationToken ct)
    {
        await EnsureCanReadDatastoreAsync(datastoreId, missing, ct);
        if (!await HasPermissionAsync(datastoreId, needed, ct)) throw new ForbiddenProblem(refusal);
    }

    public void EnsureRole(Role role, string action)
    {
        if (!IsAtLeast(role)) throw new ForbiddenProblem($"{action} needs the {role} role; your role is {Role}.");
    }

    private async Task<bool> HasPermissionAsync(int datastoreId, TeamPermission needed, CancellationToken ct)
    {
        if (IsAtLeast(Role.Manager)) return true;
        var permissions = await TeamPermissionsAsync(ct);
        var teams = await db.DatastoreTeams.AsNoTracking().Where(t => t.DatastoreId == datastoreId).Select(t => t.TeamId).ToListAsync(ct);
        return teams.Any(t => permissions.TryGetValue(t, out var p) && p >= needed);
    }

    private async Task EnsureExistsAsync(int datastoreId, CancellationToken ct)
    {
        if (!await db.Datastores.AnyAsync(d => d.Id == datastoreId, ct)) throw NotFoundProblem.For("datastore", datastoreId);
    }
}
