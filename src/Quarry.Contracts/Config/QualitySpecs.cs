using Quarry.Contracts.Quality;

namespace Quarry.Contracts.Config;

/// <summary>A computed container of a config folder: <c>datastores/&lt;ds&gt;/containers/&lt;name&gt;/_container.yaml</c>.</summary>
public sealed class ComputedContainerSpec : ComputedContainerBody
{
    public string? Datastore { get; set; }

    public string ItemName => $"{Datastore?.Trim()}/{Name?.Trim()}";
}

/// <summary>A computed field: <c>datastores/&lt;ds&gt;/containers/&lt;container&gt;/computed_fields/&lt;name&gt;.yaml</c>.</summary>
public sealed class ComputedFieldSpec : ComputedFieldBody
{
    public string? Datastore { get; set; }
    public string? Container { get; set; }

    public string ItemName => $"{Datastore?.Trim()}/{Container?.Trim()}/{Name?.Trim()}";
}

/// <summary>A quality check: <c>datastores/&lt;ds&gt;/checks/&lt;container&gt;/&lt;rule&gt;__&lt;fields&gt;.yaml</c>.</summary>
public sealed class CheckSpec : QualityCheckBody
{
    public string? Datastore { get; set; }
    public string? Container { get; set; }

    /// <summary>The check's stable identity as a readable name: its uid, or its rule and sorted fields.</summary>
    public string ItemName => ItemNameOf(Datastore, Container, Rule, Fields ?? [], Uid);

    public static string ItemNameOf(string? datastore, string? container, string? rule, IEnumerable<string> fields, string? uid) =>
        $"{datastore?.Trim()}/{container?.Trim()}/" + (string.IsNullOrWhiteSpace(uid)
            ? $"{rule?.Trim()}({string.Join(",", fields.Select(f => f.Trim()).Order(StringComparer.Ordinal))})"
            : $"uid:{uid.Trim()}");
}

public static class QualityConfigKinds
{
    public const string ComputedContainer = "computed_container";
    public const string ComputedField = "computed_field";
    public const string Check = "quality_check";

    /// <summary>What <c>prune</c> may name: the kinds whose namespace-owned resources missing from the config are deleted.</summary>
    public static readonly IReadOnlyList<string> Prunable = [ConfigKinds.Connection, ConfigKinds.Datastore, ComputedContainer, ComputedField, Check];
}
