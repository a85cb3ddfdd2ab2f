namespace Quarry.Server.Config;

/// <summary>
/// Field-level differences between a stored check, computed field or computed container and its file. A
/// quality file states the whole resource, so a key it leaves out means the default (no filter, coverage 1,
/// no tags, no properties), and the request carries every value once anything differs.
/// </summary>
internal static class QualityConfigDiff
{
    public static (List<FieldChange> Changes, QualityCheckRequest Request) Check(QualityCheck existing, CheckSpec spec, string? ns)
    {
        var changes = new List<FieldChange>();
        var fields = Clean(spec.Fields);
        Compare(changes, "fields", List(QualityJson.Strings(existing.FieldsJson)), List(fields));
        Compare(changes, "properties", existing.PropertiesJson, QualityJson.Of(spec.Properties));
        Compare(changes, "filter", existing.Filter, Blank(spec.Filter));
        Compare(changes, "coverage", Number(existing.Coverage), Number(spec.Coverage ?? 1));
        Compare(changes, "description", existing.Description, Blank(spec.Description));
        Compare(changes, "tags", List(QualityJson.Strings(existing.TagsJson)), List(Tags(spec.Tags)));
        Namespace(changes, existing.ConfigNamespace, ns);
        return (changes, new QualityCheckRequest
        {
            Fields = fields, Properties = spec.Properties ?? [], Filter = spec.Filter ?? "", Coverage = spec.Coverage ?? 1,
            Description = spec.Description ?? "", Tags = spec.Tags ?? [],
        });
    }

    public static QualityCheckRequest NewCheck(CheckSpec spec, int containerId) => new()
    {
        ContainerId = containerId, Rule = spec.Rule, Fields = spec.Fields ?? [], Properties = spec.Properties, Filter = spec.Filter,
        Coverage = spec.Coverage, Description = spec.Description, Tags = spec.Tags, Uid = spec.Uid,
    };

    public static (List<FieldChange> Changes, ComputedFieldRequest Request) Field(ComputedField existing, ComputedFieldSpec spec, string? ns)
    {
        var changes = new List<FieldChange>();
        Compare(changes, "transformation", existing.Transformation, spec.Transformation?.Trim());
        Compare(changes, "source_fields", List(QualityJson.Strings(existing.SourceFieldsJson)), List(Clean(spec.SourceFields)));
        Compare(changes, "properties", existing.PropertiesJson, QualityJson.Of(spec.Properties));
        Compare(changes, "description", existing.Description, Blank(spec.Description));
        Namespace(changes, existing.ConfigNamespace, ns);
        return (changes, NewField(spec, existing.ContainerId));
    }

    public static ComputedFieldRequest NewField(ComputedFieldSpec spec, int containerId) => new()
    {
        ContainerId = containerId, Name = spec.Name, Transformation = spec.Transformation, SourceFields = spec.SourceFields ?? [],
        Properties = spec.Properties ?? [], Description = spec.Description ?? "",
    };

    public static List<FieldChange> Container(ComputedContainer existing, string? left, string? right, string? description, ComputedContainerSpec spec, string? ns)
    {
        var changes = new List<FieldChange>();
        Compare(changes, "query", existing.Query, Blank(spec.Query));
        Compare(changes, "left_container", left, Blank(spec.LeftContainer));
        Compare(changes, "right_container", right, Blank(spec.RightContainer));
        if (spec.ContainerType?.Trim() == ComputedKinds.Join)
        {
            Compare(changes, "join_type", existing.JoinType, Blank(spec.JoinType)?.ToLowerInvariant() ?? "inner");
            Compare(changes, "left_field", existing.LeftField, Blank(spec.LeftField));
            Compare(changes, "right_field", existing.RightField, Blank(spec.RightField));
            Compare(changes, "left_select", List(QualityJson.Strings(existing.LeftSelectJson)), List(Clean(spec.LeftSelect)));
            Compare(changes, "right_select", List(QualityJson.Strings(existing.RightSelectJson)), List(Clean(spec.RightSelect)));
            Compare(changes, "select_clause", existing.SelectClause, Blank(spec.SelectClause));
            Compare(changes, "left_prefix", existing.LeftPrefix, Prefix(spec, spec.LeftPrefix, JoinSelection.DefaultLeftPrefix));
            Compare(changes, "right_prefix", existing.RightPrefix, Prefix(spec, spec.RightPrefix, JoinSelection.DefaultRightPrefix));
            Compare(changes, "where_clause", existing.WhereClause, Blank(spec.WhereClause));
            Compare(changes, "group_by_clause", existing.GroupByClause, Blank(spec.GroupByClause));
        }
        Compare(changes, "description", description, Blank(spec.Description));
        Namespace(changes, existing.ConfigNamespace, ns);
        return changes;
    }

    public static ComputedContainerRequest ContainerRequest(ComputedContainerSpec spec, int datastoreId) => new()
    {
        DatastoreId = datastoreId, Name = spec.Name, ContainerType = spec.ContainerType, Query = spec.Query,
        LeftContainer = spec.LeftContainer, RightContainer = spec.RightContainer, JoinType = spec.JoinType,
        LeftField = spec.LeftField, RightField = spec.RightField, LeftSelect = spec.LeftSelect ?? [], RightSelect = spec.RightSelect ?? [],
        SelectClause = Blank(spec.SelectClause), LeftPrefix = Prefix(spec, spec.LeftPrefix, JoinSelection.DefaultLeftPrefix),
        RightPrefix = Prefix(spec, spec.RightPrefix, JoinSelection.DefaultRightPrefix),
        WhereClause = Blank(spec.WhereClause) ?? "", GroupByClause = Blank(spec.GroupByClause) ?? "", Description = spec.Description ?? "",
    };

    /// <summary>A file states the whole join: a prefix it leaves out is the default, and there is none without a select clause.</summary>
    private static string? Prefix(ComputedContainerSpec spec, string? prefix, string fallback) =>
        Blank(spec.SelectClause) is null ? null : Blank(prefix) ?? fallback;

    private static void Compare(List<FieldChange> changes, string field, string? from, string? to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal)) changes.Add(new FieldChange(field, from, to));
    }

    private static void Namespace(List<FieldChange> changes, string? existing, string? ns)
    {
        if (ns is not null && existing != ns) changes.Add(new FieldChange("config_namespace", existing, ns));
    }

    private static List<string> Clean(List<string>? names) => (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();

    private static List<string> Tags(List<string>? tags) =>
        Clean(tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string? List(List<string> values) => values.Count == 0 ? null : string.Join(", ", values);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
