namespace Quarry.Contracts.Connections;

/// <summary>
/// The body of POST/PUT /api/connections, and a connection of a config folder (<c>ConfigRequest.Connections</c>).
/// On PUT, a field left out keeps its value; in config, a key left out is not managed.
/// </summary>
public sealed class ConnectionRequest
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Username { get; set; }
    /// <summary>Write-only: never returned; config compares it with the stored one on the server.</summary>
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

/// <summary>The outcome of a connection test or datastore verification. A database-side failure is <c>success: false</c>, not an HTTP error.</summary>
public sealed record ConnectionCheckResult(bool Success, string Message)
{
    /// <summary>The same answer under the name Qualytics clients read.</summary>
    public bool Connected => Success;
}

public static partial class ConnectionParameters
{
    /// <summary>Parameters named like a secret are write-only and encrypted, like the password.</summary>
    public static bool IsSecret(string name) => SecretName().IsMatch(name);

    // Also "pwd" (ODBC's password key) and any name ending in "key" (client_key, sslkey), but not "keyspace".
    [GeneratedRegex("pass|pwd|secret|token|credential|private|api_?key|access_?key|key$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}

/// <summary>The body of POST /api/datastores/connection: the datastore to test, before it is created.</summary>
public sealed class UnsavedDatastoreRequest
{
    public int? ConnectionId { get; set; }
    public ConnectionRequest? Connection { get; set; }
    public string? Database { get; set; }
    public string? Schema { get; set; }
}
