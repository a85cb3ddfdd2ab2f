using System.Text;
using Quarry.Cli.Config.Export;

namespace Quarry.Cli.Config;

/// <summary>
/// The paths of a config folder, shared by export (which writes them) and import (which reads them):
/// <c>connections/&lt;name&gt;.yaml</c>, <c>datastores/&lt;name&gt;/_datastore.yaml</c>,
/// <c>datastores/&lt;ds&gt;/containers/&lt;container&gt;/_container.yaml</c> and <c>…/computed_fields/&lt;name&gt;.yaml</c>,
/// <c>datastores/&lt;ds&gt;/checks/&lt;container&gt;/&lt;rule&gt;__&lt;fields&gt;.yaml</c>.
/// </summary>
public static class ConfigLayout
{
    public const string ContainersFolder = "containers";
    public const string ComputedFieldsFolder = "computed_fields";
    public const string ChecksFolder = "checks";
    public const string ContainerFile = "_container.yaml";
    public const string DatastoreFile = "_datastore.yaml";

    /// <summary>A name made safe as one path segment on every file system; files keep the real name inside.</summary>
    public static string Segment(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var segment = text.ToString().Trim('.');
        return segment.Length == 0 ? "_" : segment;
    }

    public static string Connection(string name) => $"connections/{Segment(name)}.yaml";

    public static string Datastore(string name) => $"datastores/{Segment(name)}/{DatastoreFile}";

    public static string Container(string datastore, string container) =>
        $"datastores/{Segment(datastore)}/{ContainersFolder}/{Segment(container)}/{ContainerFile}";

    public static string ComputedField(string datastore, string container, string field) =>
        $"datastores/{Segment(datastore)}/{ContainersFolder}/{Segment(container)}/{ComputedFieldsFolder}/{Segment(field)}.yaml";

    /// <summary>A check's file: its rule and sorted fields (its identity), plus its uid when it has one.</summary>
    public static string Check(string datastore, string container, string rule, IEnumerable<string> fields, string? uid)
    {
        var stem = string.Join("__", new[] { rule }.Concat(fields.Order(StringComparer.Ordinal)).Select(Segment));
        if (uid is not null) stem += "." + Segment(uid);
        return $"datastores/{Segment(datastore)}/{ChecksFolder}/{Segment(container)}/{stem}.yaml";
    }

    /// <summary>The variable a connection's secret is exported as: <c>${WAREHOUSE_PROD_DB_PASSWORD}</c>.</summary>
    public static YamlText.Placeholder SecretVariable(string connectionName, string secret)
    {
        var text = new StringBuilder();
        foreach (var c in $"{connectionName}_{secret}")
        {
            if (char.IsAsciiLetterOrDigit(c)) text.Append(char.ToUpperInvariant(c));
            else if (text.Length > 0 && text[^1] != '_') text.Append('_');
        }
        return new YamlText.Placeholder(text.ToString().Trim('_'));
    }
}
