using System.Text.Json;
using System.Text.RegularExpressions;

namespace Quarry.Server.Connections;

/// <summary>The body of POST/PUT /api/connections. On PUT, a field left out keeps its value.</summary>
public sealed class ConnectionRequest
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? Database { get; set; }
    public string? Path { get; set; }
    public Dictionary<string, JsonElement>? Parameters { get; set; }
}

public sealed record ConnectionDto(
    int Id,
    string Name,
    string Type,
    string? Host,
    int? Port,
    string? Username,
    bool PasswordSet,
    string? Database,
    string? Path,
    IReadOnlyDictionary<string, JsonElement> Parameters,
    IReadOnlyList<string> SecretParametersSet,
    DateTime Created,
    DateTime Updated);

public sealed record ConnectionRef(int Id, string Name, string Type);

public static partial class ConnectionMapping
{
    /// <summary>Parameters named like a secret are write-only and encrypted, like the password.</summary>
    public static bool IsSecretParameter(string name) => SecretName().IsMatch(name);

    // Also "pwd" (ODBC's password key) and any name ending in "key" (client_key, sslkey), but not "keyspace".
    [GeneratedRegex("pass|pwd|secret|token|credential|private|api_?key|access_?key|key$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    public static IReadOnlyDictionary<string, JsonElement> PublicParameters(this Connection connection) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(connection.ParametersJson) ?? [];

    public static ConnectionDto ToDto(this Connection connection, IReadOnlyList<string> secretParameterNames) => new(
        connection.Id,
        connection.Name,
        connection.Type,
        connection.Host,
        connection.Port,
        connection.Username,
        connection.PasswordSecret is not null,
        connection.Database,
        connection.Path,
        connection.PublicParameters(),
        secretParameterNames,
        connection.CreatedAt,
        connection.UpdatedAt);

    public static ConnectionRef ToRef(this Connection connection) => new(connection.Id, connection.Name, connection.Type);
}
