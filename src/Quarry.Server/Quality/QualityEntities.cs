namespace Quarry.Server.Quality;

/// <summary>
/// The definition of a computed container. The container itself is a row of <c>containers</c>
/// (<see cref="ComputedKinds"/>), so checks and computed fields address it like a synced table.
/// </summary>
public sealed class ComputedContainer
{
    public int ContainerId { get; set; }
    /// <summary>computed_table: the SQL query over the datastore.</summary>
    public string? Query { get; set; }
    public int? LeftContainerId { get; set; }
    public int? RightContainerId { get; set; }
    public string? JoinType { get; set; }
    public string? LeftField { get; set; }
    public string? RightField { get; set; }
    public string LeftSelectJson { get; set; } = "[]";
    public string RightSelectJson { get; set; } = "[]";
    /// <summary>computed_join: the select clause as given (Qualytics' way to choose the join's fields), with the prefixes it names.</summary>
    public string? SelectClause { get; set; }
    public string? LeftPrefix { get; set; }
    public string? RightPrefix { get; set; }
    /// <summary>computed_join: <see cref="SelectClause"/> resolved when it was saved: <see cref="JoinSelection"/> items, in order.</summary>
    public string? SelectJson { get; set; }
    /// <summary>computed_join: the filter and the grouping of its rows, as given (<see cref="JoinClauses"/>).</summary>
    public string? WhereClause { get; set; }
    public string? GroupByClause { get; set; }
    public string? Description { get; set; }
    public string? ConfigNamespace { get; set; }
    public int? CreatedByUserId { get; set; }
}

/// <summary>The container types that Quarry defines rather than discovers; a sync never touches them.</summary>
public static class ComputedKinds
{
    public const string Table = "computed_table";
    public const string Join = "computed_join";

    public static readonly IReadOnlyList<string> All = [Table, Join];

    public static bool IsComputed(string containerType) => containerType is Table or Join;
}

/// <summary>A field derived from other fields of a container by a transformation.</summary>
public sealed class ComputedField : IContainerScoped
{
    public int Id { get; set; }
    public int ContainerId { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public required string Transformation { get; set; }
    public string SourceFieldsJson { get; set; } = "[]";
    public string PropertiesJson { get; set; } = "{}";
    public string? Description { get; set; }
    public string? ConfigNamespace { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A data-quality rule asserted over fields of a container.</summary>
public sealed class QualityCheck : IContainerScoped
{
    public int Id { get; set; }
    public int ContainerId { get; set; }
    public required string Rule { get; set; }
    public string FieldsJson { get; set; } = "[]";
    public string? Uid { get; set; }
    /// <summary>What config-as-code matches the check by: see <see cref="CheckIdentity"/>.</summary>
    public required string IdentityKey { get; set; }
    public string PropertiesJson { get; set; } = "{}";
    public string? Filter { get; set; }
    public double Coverage { get; set; } = 1;
    public string? Description { get; set; }
    public string TagsJson { get; set; } = "[]";
    /// <summary>Only Active checks are scanned; see <see cref="CheckStatus"/>.</summary>
    public string Status { get; set; } = CheckStatus.Active;
    /// <summary>Proposed by a profile rather than written by a person.</summary>
    public bool Inferred { get; set; }
    /// <summary>A free JSON object a client stores with the check; Quarry never reads it.</summary>
    public string? AdditionalMetadataJson { get; set; }
    public string? ConfigNamespace { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A check's stable identity inside its container: its explicit <c>uid</c>, or else its rule and its fields
/// sorted, so reordering fields in a file never turns one check into another.
/// </summary>
public static class CheckIdentity
{
    public static string Of(string rule, IEnumerable<string> fields, string? uid) =>
        uid is not null ? "uid:" + uid : rule + ":" + string.Join(",", fields.Order(StringComparer.Ordinal));
}
