using System.Text.Json.Serialization;

namespace Quarry.Server.Operations.Sync;

/// <summary>A sync's parameters, stored as <c>operations.parameters_json</c>: <c>{"prune": true}</c>.</summary>
public sealed record SyncParameters([property: JsonPropertyName("prune")] bool Prune)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The parameters of a stored sync; none stored reads as the defaults.</summary>
    public static SyncParameters Read(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new(false) : JsonSerializer.Deserialize<SyncParameters>(json) ?? new(false);
}

/// <summary>A finished sync's counts, stored as <c>operations.result_json</c>.</summary>
public sealed record SyncResult(
    [property: JsonPropertyName("containers")] int Containers,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("updated")] int Updated,
    [property: JsonPropertyName("removed")] int Removed,
    [property: JsonPropertyName("deleted")] int Deleted)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}
