namespace Quarry.Cli.Config.Export;

/// <summary>
/// Where each exported resource goes and what its secrets are called. Names are settled over everything the server
/// lists, not just what one export writes, so the same state always gives the same paths and variables (an export
/// limited by <c>--datastore-id</c> or <c>--include</c> writes the files a whole-server export wrote), and no two
/// resources share a file or a variable.
/// </summary>
public sealed class ExportNames
{
    private readonly Dictionary<string, string> _connections;
    private readonly Dictionary<string, string> _datastores;
    private readonly Dictionary<string, string> _variables;
    private readonly Dictionary<string, Dictionary<string, string>> _containers;
    private readonly Dictionary<(string, string), Dictionary<string, string>> _fields;
    private readonly Dictionary<(string, string), Dictionary<string, string>> _checks;

    /// <param name="containers">Computed containers as (datastore, name); the containers of fields and checks are added.</param>
    public ExportNames(IReadOnlyList<ConnectionDto> connections, IEnumerable<string> datastores, IEnumerable<(string Datastore, string Name)> containers,
        IReadOnlyList<ComputedFieldDto> fields, IReadOnlyList<QualityCheckDto> checks)
    {
        _connections = ConfigLayout.Segments(connections.Select(c => Plain(c.Name)));
        _datastores = ConfigLayout.Segments(datastores.Select(Plain));
        _variables = ConfigLayout.SecretVariables(connections.SelectMany(Secrets));
        // Containers share one segment under containers/ and checks/, so a check sits in the folder named like its container's.
        _containers = containers
            .Concat(fields.Select(f => (f.Container.DatastoreName, f.Container.Name)))
            .Concat(checks.Select(c => (c.Container.DatastoreName, c.Container.Name)))
            .GroupBy(c => c.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ConfigLayout.Segments(g.Select(c => Plain(c.Item2))), StringComparer.Ordinal);
        _fields = fields.GroupBy(f => (f.Container.DatastoreName, f.Container.Name))
            .ToDictionary(g => g.Key, g => ConfigLayout.Segments(g.Select(f => Plain(f.Name))));
        _checks = checks.GroupBy(c => (c.Container.DatastoreName, c.Container.Name))
            .ToDictionary(g => g.Key, g => ConfigLayout.Segments(g.Select(c => (Identity(c), ConfigLayout.CheckStem(c.Rule, c.FieldNames, c.Uid)))));
    }

    public string Connection(string name) => $"connections/{_connections[name]}.yaml";

    public string Datastore(string name) => $"{DatastoreFolder(name)}/{ConfigLayout.DatastoreFile}";

    public string Container(string datastore, string container) => $"{ContainerFolder(datastore, container)}/{ConfigLayout.ContainerFile}";

    public string ComputedField(ComputedFieldDto field) =>
        $"{ContainerFolder(field.Container.DatastoreName, field.Container.Name)}/{ConfigLayout.ComputedFieldsFolder}/{_fields[(field.Container.DatastoreName, field.Container.Name)][field.Name]}.yaml";

    public string Check(QualityCheckDto check) =>
        $"{DatastoreFolder(check.Container.DatastoreName)}/{ConfigLayout.ChecksFolder}/{ContainerSegment(check.Container.DatastoreName, check.Container.Name)}/{_checks[(check.Container.DatastoreName, check.Container.Name)][Identity(check)]}.yaml";

    /// <summary>The folder name a container's files sit in; when it isn't the container's name, its files must say <c>container:</c>.</summary>
    public string ContainerSegment(string datastore, string container) => _containers[datastore][container];

    /// <summary>The variable a connection's secret (<c>password</c> or a secret parameter) is exported as.</summary>
    public YamlText.Placeholder Variable(string connection, string secret) => new(_variables[ConfigLayout.SecretKey(connection, secret)]);

    /// <summary>Every variable the given connections' files use, sorted: what must be set before importing them.</summary>
    public IReadOnlyList<string> Variables(IEnumerable<ConnectionDto> connections) =>
        [.. connections.SelectMany(Secrets).Select(s => _variables[ConfigLayout.SecretKey(s.Connection, s.Secret)]).Order(StringComparer.Ordinal)];

    private string DatastoreFolder(string datastore) => $"datastores/{_datastores[datastore]}";

    private string ContainerFolder(string datastore, string container) =>
        $"{DatastoreFolder(datastore)}/{ConfigLayout.ContainersFolder}/{ContainerSegment(datastore, container)}";

    private static (string Key, string Plain) Plain(string name) => (name, ConfigLayout.Segment(name));

    private static IEnumerable<(string Connection, string Secret)> Secrets(ConnectionDto c) =>
        (c.PasswordSet ? ["password"] : Array.Empty<string>()).Concat(c.SecretParametersSet).Select(s => (c.Name, s));

    /// <summary>What tells a container's checks apart: its rule and fields, or its uid.</summary>
    private static string Identity(QualityCheckDto check) =>
        string.Join('\0', [check.Rule, check.Uid ?? "", .. check.FieldNames.Order(StringComparer.Ordinal)]);
}
