namespace Quarry.Contracts.Access;

/// <summary>Account roles, ordered: a higher value may do everything a lower one may.</summary>
public enum Role
{
    Member = 0,
    Manager = 1,
    Admin = 2,
}

/// <summary>A member's permission inside one team, ordered like <see cref="Role"/>.</summary>
public enum TeamPermission
{
    Viewer = 0,
    Author = 1,
    Editor = 2,
}

public sealed class UserRequest
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public Role? Role { get; set; }
}

public sealed record UserDto(int Id, string Name, string? Email, Role Role, IReadOnlyList<TeamMembershipDto> Teams, DateTime Created);

public sealed record TeamMembershipDto(int Id, string Name, TeamPermission Permission);

public sealed class TokenRequest
{
    public string? Name { get; set; }
    /// <summary>How long the token works: <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>2w</c>; left out, until it is deleted.</summary>
    public string? ExpiresIn { get; set; }
}

/// <summary>A new token: <see cref="Token"/> is shown this once and never again.</summary>
public sealed record NewTokenDto(int Id, string Name, int UserId, string Token, DateTime Created, DateTime? Expires = null);

public sealed record TokenDto(int Id, string Name, int UserId, DateTime Created, DateTime? LastUsed, DateTime? Expires = null);

public sealed class TeamRequest
{
    public string? Name { get; set; }
}

public sealed record TeamMemberDto(int UserId, string Name, TeamPermission Permission);

public sealed record TeamDto(int Id, string Name, bool Builtin, IReadOnlyList<TeamMemberDto> Members, DateTime Created)
{
    /// <summary>The built-in team every datastore without teams belongs to; every member is its Viewer.</summary>
    public const string PublicName = "Public";
}

public sealed class TeamMemberRequest
{
    public int? UserId { get; set; }
    public TeamPermission? Permission { get; set; }
}

/// <summary>Who the caller is: GET /api/me.</summary>
public sealed record MeDto(int Id, string Name, Role Role, IReadOnlyList<TeamMembershipDto> Teams);
