namespace Quarry.Server.Connectors;

/// <summary>What a connector needs to reach a database, secrets decrypted. Lives only in memory.</summary>
public sealed record ConnectionDetails(
    string Type,
    string? Host,
    int? Port,
    string? Username,
    string? Password,
    string? Database,
    string? Path,
    IReadOnlyDictionary<string, string> Parameters);
