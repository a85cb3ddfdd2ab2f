namespace Quarry.Server.Connections;

public sealed class Connection : INamedEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public required string Type { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Username { get; set; }
    /// <summary>The password, encrypted by <see cref="Secrets.SecretBox"/>; never leaves the server.</summary>
    public string? PasswordSecret { get; set; }
    public string? Database { get; set; }
    public string? Path { get; set; }
    /// <summary>Non-secret parameters as a JSON object.</summary>
    public string ParametersJson { get; set; } = "{}";
    /// <summary>Secret parameters as an encrypted JSON object.</summary>
    public string? SecretParameters { get; set; }
    public string? ConfigNamespace { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
