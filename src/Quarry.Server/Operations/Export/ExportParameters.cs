using System.Text.Json.Serialization;

namespace Quarry.Server.Operations.Export;

/// <summary>
/// An export's parameters, stored as <c>operations.parameters_json</c>: what to export (anomalies, checks, field
/// profiles: all three unless <c>asset_type</c> names one), the containers it covers (all when none are named) and
/// whether archived checks and anomalies go too.
/// </summary>
public sealed record ExportParameters(
    [property: JsonPropertyName("assets")] IReadOnlyList<string> Assets,
    [property: JsonPropertyName("container_ids")] IReadOnlyList<int>? ContainerIds,
    [property: JsonPropertyName("include_deleted")] bool IncludeDeleted)
{
    public const string Anomalies = "anomalies";
    public const string Checks = "checks";
    public const string FieldProfiles = "field-profiles";
    public static readonly IReadOnlyList<string> AllAssets = [Anomalies, Checks, FieldProfiles];

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ExportParameters Read(string? json) =>
        (string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<ExportParameters>(json)) ?? new(AllAssets, null, false);

    /// <summary>The parameters of a run request, or the reasons they are refused.</summary>
    public static ExportParameters Of(RunOperationRequest request)
    {
        if (request.Prune is not null) throw InvalidInputProblem.Single("prune", "is a sync's parameter; an export never changes the catalog.");
        if (request.ContainerNames is not null)
            throw InvalidInputProblem.Single("container_names", "is not an export's parameter; name the containers by id with container_ids.");
        RefuseContainerTags(request.ContainerTags);
        var assets = request.AssetType is null ? AllAssets : [Asset(request.AssetType, "asset_type")];
        return new(assets, CleanContainerIds(request.ContainerIds, "container_ids"), request.IncludeDeleted == true);
    }

    /// <summary>The asset a request names (<c>profiles</c> and <c>field_profiles</c> read as <c>field-profiles</c>), or the problem.</summary>
    public static string Asset(string given, string key) => given.Trim().ToLowerInvariant() switch
    {
        Anomalies => Anomalies,
        Checks => Checks,
        FieldProfiles or "field_profiles" or "profiles" => FieldProfiles,
        _ => throw InvalidInputProblem.Single(key, $"'{given}' is not something Quarry exports; use anomalies, checks or field-profiles (or leave it out for all three)."),
    };

    public static IReadOnlyList<int>? CleanContainerIds(IReadOnlyList<int>? ids, string key)
    {
        if (ids is null) return null;
        if (ids.Count == 0) throw InvalidInputProblem.Single(key, "is empty; name at least one container, or leave it out to export every container.");
        return ids.Distinct().Order().ToList();
    }

    /// <summary>Quarry's containers carry no tags: a tag filter would silently select nothing, so it is refused.</summary>
    public static void RefuseContainerTags(IReadOnlyList<string>? tags)
    {
        if (tags is { Count: > 0 })
            throw InvalidInputProblem.Single("container_tags", "Quarry's containers carry no tags; name the containers instead (container_ids or container_names).");
    }
}
