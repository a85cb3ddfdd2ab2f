namespace Quarry.Server.Access;

public sealed class User : INamedEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public string? Email { get; set; }
    public Role Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<ApiToken> Tokens { get; set; } = [];
    public List<TeamMember> Memberships { get; set; } = [];
}

public sealed class ApiToken
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    /// <summary>When the token stops working; null: it works until deleted.</summary>
    public DateTime? ExpiresAt { get; set; }
}

public sealed class Team : INamedEntity
{
    /// <summary>The built-in team every datastore without teams belongs to; every member is its Viewer.</summary>
    public const string PublicName = TeamDto.PublicName;

    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public bool IsBuiltin { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<TeamMember> Members { get; set; } = [];
}

public sealed class TeamMember
{
    public int TeamId { get; set; }
    public Team? Team { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public TeamPermission Permission { get; set; }
}
