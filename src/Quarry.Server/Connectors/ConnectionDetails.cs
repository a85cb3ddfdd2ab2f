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
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>A parameter holding a whole number above zero (a timeout in seconds), or null when it is missing or holds none.</summary>
    public int? IntParameter(string name) =>
        Parameters.TryGetValue(name, out var value) && int.TryParse(value, out var number) && number > 0 ? number : null;
}
