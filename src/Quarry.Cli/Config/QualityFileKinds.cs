using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Quarry.Cli.Config;

/// <summary>A computed container: <c>datastores/&lt;ds&gt;/containers/&lt;name&gt;/_container.yaml</c>.</summary>
public sealed class ContainerFileKind : ConfigFileKind
{
    public static readonly ContainerFileKind Instance = new();

    public override string Name => "container";
    public override string Plural => "containers";
    public override string Title => "Quarry computed container";
    public override string ItemKind => QualityConfigKinds.ComputedContainer;
    public override bool UniqueNames => false;

    public override IReadOnlyList<FieldSpec> Fields { get; } =
    [
        new("name", FieldType.String, "The computed container's name, unique in its datastore; checks refer to it by this name.", Required: true),
        new("container_type", FieldType.String, "computed_table (a SQL query) or computed_join (two containers joined).", Required: true),
        new("description", FieldType.String, "Free text."),
        new("query", FieldType.String, "computed_table: the SELECT over the datastore that defines it."),
        new("left_container", FieldType.String, "computed_join: the left container's name (same datastore)."),
        new("right_container", FieldType.String, "computed_join: the right container's name (same datastore)."),
        new("join_type", FieldType.String, "computed_join: inner (default), left, right or full."),
        new("left_field", FieldType.String, "computed_join: the join key in the left container."),
        new("right_field", FieldType.String, "computed_join: the join key in the right container."),
        new("left_select", FieldType.StringList, "computed_join: fields selected from the left container."),
        new("right_select", FieldType.StringList, "computed_join: fields selected from the right container."),
        new("select_clause", FieldType.String, "computed_join, instead of left_select/right_select: the fields to keep, each as <prefix>_<field> (left_id, right_total AS total), or *."),
        new("left_prefix", FieldType.String, "computed_join with select_clause: the left side's prefix (default left)."),
        new("right_prefix", FieldType.String, "computed_join with select_clause: the right side's prefix (default right)."),
        new("where_clause", FieldType.String, "computed_join: SQL filtering the joined rows, naming fields as select_clause does (left_status = 'paid')."),
        new("group_by_clause", FieldType.String, "computed_join: SQL grouping the joined rows (left_country); select_clause then lists the groups and aggregates (count(*) AS orders)."),
    ];

    public override IEnumerable<string> Files(ConfigFolder folder) =>
        QualityPaths.Subfolders(folder, ConfigLayout.ContainersFolder).Where(c => folder.HasFile(c, ConfigLayout.ContainerFile)).Select(c => Path.Combine(c, ConfigLayout.ContainerFile));
}

/// <summary>A computed field: <c>datastores/&lt;ds&gt;/containers/&lt;container&gt;/computed_fields/&lt;name&gt;.yaml</c>.</summary>
public sealed class ComputedFieldFileKind : ConfigFileKind
{
    public static readonly ComputedFieldFileKind Instance = new();

    public override string Name => "computed_field";
    public override string Plural => "computed_fields";
    public override string Title => "Quarry computed field";
    public override bool UniqueNames => false;

    public override IReadOnlyList<FieldSpec> Fields { get; } =
    [
        new("name", FieldType.String, "The field's name, unique in its container.", Required: true),
        new("container", FieldType.String, "The container's name, when it differs from the folder's name."),
        new("transformation", FieldType.String, "cast, cleanedEntity, convertFormattedNumeric or customExpression.", Required: true),
        new("source_fields", FieldType.StringList, "The fields of the container it is computed from."),
        new("properties", FieldType.Properties, "The transformation's settings (customExpression: expression; cast: target_type, format)."),
        new("description", FieldType.String, "Free text."),
    ];

    public override IEnumerable<string> Files(ConfigFolder folder) =>
        QualityPaths.Subfolders(folder, ConfigLayout.ContainersFolder).SelectMany(c => folder.YamlFiles(Path.Combine(c, ConfigLayout.ComputedFieldsFolder)));
}

/// <summary>A quality check: <c>datastores/&lt;ds&gt;/checks/&lt;container&gt;/&lt;rule&gt;__&lt;fields&gt;.yaml</c>.</summary>
public sealed class CheckFileKind : ConfigFileKind
{
    public static readonly CheckFileKind Instance = new();

    public override string Name => "check";
    public override string Plural => "checks";
    public override string Title => "Quarry quality check";
    public override string ItemKind => QualityConfigKinds.Check;
    public override bool UniqueNames => false;

    public override IReadOnlyList<FieldSpec> Fields { get; } =
    [
        new("rule", FieldType.String, "The rule: notNull, unique, between, expectedValues, matchesPattern, minLength, maxLength, isType, … (GET /api/quality-checks/rules).", Required: true),
        new("container", FieldType.String, "The container's name, when it differs from the folder's name."),
        new("fields", FieldType.StringList, "The fields checked, by name."),
        new("properties", FieldType.Properties, "The rule's settings, such as min and max for between."),
        new("filter", FieldType.String, "A SQL condition: only rows matching it are checked."),
        new("coverage", FieldType.Number, "The share of rows that must pass, more than 0 and at most 1 (default 1)."),
        new("description", FieldType.String, "Free text."),
        new("tags", FieldType.StringList, "Tag names."),
        new("uid", FieldType.String, "A stable identity, needed only when two checks share a rule and fields in one container."),
    ];

    public override IEnumerable<string> Files(ConfigFolder folder) =>
        QualityPaths.Subfolders(folder, ConfigLayout.ChecksFolder).SelectMany(folder.YamlFiles);

    /// <summary>
    /// The rule, its fields and properties are checked here as the server would, because a check on a table that is
    /// not synced yet is otherwise only checked after the import has written its datastores and synced them.
    /// </summary>
    public override void Validate(ConfigDocument document, List<ConfigError> errors)
    {
        foreach (var (key, messages) in CheckValidation.ValidateNew(QualityState.CheckBody(document)))
            errors.AddRange(messages.Select(m => document.ErrorAt(key, $"{key}: {m}")));
    }
}

/// <summary>Where a quality file sits: its datastore's folder and its container's folder.</summary>
public static class QualityPaths
{
    public static IEnumerable<string> Subfolders(ConfigFolder folder, string sub) =>
        folder.DatastoreFolders().Where(d => folder.HasFolder(d, sub)).SelectMany(d => folder.Subfolders(Path.Combine(d, sub)));

    /// <summary>The folder of the container a file belongs to.</summary>
    public static string ContainerFolder(ConfigDocument document)
    {
        var folder = Path.GetDirectoryName(document.File)!;
        return document.Kind == ComputedFieldFileKind.Instance ? Path.GetDirectoryName(folder)! : folder;
    }

    /// <summary>The datastore folder a file belongs to (…/datastores/&lt;ds&gt;).</summary>
    public static string DatastoreFolder(ConfigDocument document) => Path.GetDirectoryName(Path.GetDirectoryName(ContainerFolder(document))!)!;

    /// <summary>The datastore a file belongs to: the name in its folder's _datastore.yaml, else the folder's name.</summary>
    public static string Datastore(LoadedConfig loaded, ConfigDocument document)
    {
        var folder = DatastoreFolder(document);
        return loaded.Of(DatastoreFileKind.Instance).FirstOrDefault(d => Path.GetDirectoryName(d.File) == folder)?.Name ?? Path.GetFileName(folder);
    }

    /// <summary>The container a computed field or check belongs to: its <c>container:</c> key, else its folder's name.</summary>
    public static string Container(LoadedConfig loaded, ConfigDocument document)
    {
        if (document.String("container") is { Length: > 0 } name) return name.Trim();
        var folder = ContainerFolder(document);
        // A computed container's folder holds its _container.yaml, whose name is the real one.
        var computed = loaded.Of(ContainerFileKind.Instance).FirstOrDefault(c => Path.GetDirectoryName(c.File) == folder);
        return computed?.Name ?? Path.GetFileName(folder);
    }
}

/// <summary>Reads a <c>properties:</c> mapping into JSON values: numbers, booleans, text, and lists of those.</summary>
internal static partial class QualityYaml
{
    public static Dictionary<string, JsonElement> Properties(YamlMappingNode mapping, string key, string file, List<ConfigError> errors, Func<YamlScalarNode, string> text)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (nameNode, value) in mapping.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name })
            {
                errors.Add(new ConfigError(file, (int)nameNode.Start.Line, (int)nameNode.Start.Column, $"'{key}' names must be plain text."));
                continue;
            }
            switch (value)
            {
                case YamlScalarNode scalar:
                    result[name] = Scalar(scalar, text(scalar));
                    break;
                case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                    result[name] = JsonSerializer.SerializeToElement(list.Children.Cast<YamlScalarNode>().Select(s => Scalar(s, text(s))).ToList());
                    break;
                default:
                    errors.Add(new ConfigError(file, (int)value.Start.Line, (int)value.Start.Column, $"'{key}.{name}' must be a value or a list of values."));
                    break;
            }
        }
        return result;
    }

    /// <summary>A plain scalar that reads as a number or boolean is one; quoted text stays text.</summary>
    private static JsonElement Scalar(YamlScalarNode node, string text)
    {
        if (node.Style == ScalarStyle.Plain)
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)) return JsonSerializer.SerializeToElement(whole);
            // A number written as JSON writes it keeps its text (1.50 stays 1.50), so export writes back what was read.
            if (JsonNumber().IsMatch(text)) return JsonDocument.Parse(text).RootElement.Clone();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
                return JsonSerializer.SerializeToElement(real);
            if (text is "true" or "false") return JsonSerializer.SerializeToElement(text == "true");
            if (text is "null" or "~") return JsonSerializer.SerializeToElement<object?>(null);
        }
        return JsonSerializer.SerializeToElement(text);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex JsonNumber();
}
