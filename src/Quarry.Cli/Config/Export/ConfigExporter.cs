using System.Text;

namespace Quarry.Cli.Config.Export;

/// <summary>What an export wrote: counts per kind, how many files changed, and the variables its secrets need.</summary>
public sealed record ExportResult(IReadOnlyDictionary<string, int> Counts, int Written, int Unchanged, IReadOnlyList<string> Files, IReadOnlyList<string> Removed, IReadOnlyList<string> Variables);

/// <summary>
/// Writes the server's configuration as a config folder that <c>config import</c> reads: names instead of
/// ids, secrets as <c>${NAME_PASSWORD}</c> placeholders, keys in a fixed order, and a file rewritten only
/// when its content changes, so exporting into a git checkout yields a clean diff.
/// </summary>
public sealed class ConfigExporter(QuarryClient client)
{
    /// <summary>
    /// Also write Draft and Archived checks. Off by default: a profile's drafts are proposals, and a config file has no
    /// status, so an exported draft would come back Active on import.
    /// </summary>
    public bool IncludeInactiveChecks { get; init; }

    public static readonly IReadOnlyList<string> Kinds = ["connections", "datastores", "containers", "computed_fields", "checks"];

    public async Task<ExportResult> ExportAsync(string output, IReadOnlySet<int>? datastoreIds, IReadOnlySet<string> include, CancellationToken ct)
    {
        var (files, variables) = await BuildAsync(datastoreIds, include, ct);
        int written = 0, unchanged = 0;
        foreach (var (relative, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(output, relative.Replace('/', Path.DirectorySeparatorChar));
            var bytes = Encoding.UTF8.GetBytes(content);
            if (File.Exists(path) && (await File.ReadAllBytesAsync(path, ct)).AsSpan().SequenceEqual(bytes)) { unchanged++; continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes, ct);
            written++;
        }
        var removed = datastoreIds is null ? RemoveStale(output, files, include) : [];
        var counts = Kinds.ToDictionary(k => k, k => files.Keys.Count(f => KindOf(f) == k));
        return new ExportResult(counts, written, unchanged, [.. files.Keys.Order(StringComparer.Ordinal)], removed, variables);
    }

    /// <summary>
    /// A whole-server export mirrors the server: a config file of an exported kind that the server no longer has
    /// (its resource was deleted) is removed, or the next import would bring the resource back. Files outside the
    /// layout (READMEs, schemas, .env) are never touched.
    /// </summary>
    private static List<string> RemoveStale(string output, Dictionary<string, string> files, IReadOnlySet<string> include)
    {
        var removed = new List<string>();
        if (!Directory.Exists(output)) return removed;
        foreach (var path in Directory.EnumerateFiles(output, "*.yaml", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(output, path).Replace(Path.DirectorySeparatorChar, '/');
            if (files.ContainsKey(relative) || !IsLayoutFile(relative) || !include.Contains(KindOf(relative))) continue;
            File.Delete(path);
            removed.Add(relative);
            for (var folder = Path.GetDirectoryName(path); folder is not null && Path.GetFullPath(folder) != Path.GetFullPath(output)
                 && !Directory.EnumerateFileSystemEntries(folder).Any(); folder = Path.GetDirectoryName(folder))
                Directory.Delete(folder);
        }
        removed.Sort(StringComparer.Ordinal);
        return removed;
    }

    private static bool IsLayoutFile(string relative)
    {
        var parts = relative.Split('/');
        return parts switch
        {
            ["connections", _] => true,
            ["datastores", _, ConfigLayout.DatastoreFile] => true,
            ["datastores", _, ConfigLayout.ContainersFolder, _, ConfigLayout.ContainerFile] => true,
            ["datastores", _, ConfigLayout.ContainersFolder, _, ConfigLayout.ComputedFieldsFolder, _] => true,
            ["datastores", _, ConfigLayout.ChecksFolder, _, _] => true,
            _ => false,
        };
    }

    private static string KindOf(string path) =>
        path.StartsWith("connections/", StringComparison.Ordinal) ? "connections"
        : path.EndsWith("/" + ConfigLayout.DatastoreFile, StringComparison.Ordinal) ? "datastores"
        : path.EndsWith("/" + ConfigLayout.ContainerFile, StringComparison.Ordinal) ? "containers"
        : path.Contains("/" + ConfigLayout.ComputedFieldsFolder + "/", StringComparison.Ordinal) ? "computed_fields"
        : "checks";

    /// <summary>Every file of the export, by path relative to the output folder, and the variables its connection files use.</summary>
    public async Task<(Dictionary<string, string> Files, IReadOnlyList<string> Variables)> BuildAsync(IReadOnlySet<int>? datastoreIds, IReadOnlySet<string> include, CancellationToken ct)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = await client.GetAllAsync<DatastoreDto>("/api/datastores", ct);
        var datastores = all.Where(d => datastoreIds is null || datastoreIds.Contains(d.Id)).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var selected = datastores.Select(d => d.Id).ToHashSet();
        var datastoreNames = all.ToDictionary(d => d.Id, d => d.Name);

        // Paths and variables are settled over the server's whole lists, so a limited export names things as a full one does.
        var connections = include.Contains("connections") ? await client.GetAllAsync<ConnectionDto>("/api/connections", ct) : [];
        var quality = include.Overlaps(["containers", "computed_fields", "checks"]);
        var computed = quality ? (await client.GetAllAsync<ComputedContainerDto>("/api/computed-containers", ct)).Where(c => datastoreNames.ContainsKey(c.DatastoreId)).ToList() : [];
        var fields = quality ? await client.GetAllAsync<ComputedFieldDto>("/api/computed-fields", ct) : [];
        // Lists leave archived checks out unless asked; drafts are listed either way.
        var checks = quality ? await client.GetAllAsync<QualityCheckDto>(IncludeInactiveChecks ? "/api/quality-checks?archived=include" : "/api/quality-checks", ct) : [];
        var names = new ExportNames(connections, all.Select(d => d.Name), computed.Select(c => (datastoreNames[c.DatastoreId], c.Name)), fields, checks);

        var used = datastores.Select(d => d.ConnectionId).ToHashSet();
        var exported = connections.Where(c => datastoreIds is null || used.Contains(c.Id)).ToList();
        foreach (var connection in exported) files[names.Connection(connection.Name)] = YamlText.Write(ConnectionYaml(connection, names));
        if (include.Contains("datastores"))
            foreach (var datastore in datastores) files[names.Datastore(datastore.Name)] = YamlText.Write(DatastoreYaml(datastore));
        if (include.Contains("containers"))
            foreach (var container in computed.Where(c => selected.Contains(c.DatastoreId)))
                files[names.Container(datastoreNames[container.DatastoreId], container.Name)] = YamlText.Write(ContainerYaml(container));
        if (include.Contains("computed_fields"))
            foreach (var field in fields.Where(f => selected.Contains(f.Container.DatastoreId)))
                files[names.ComputedField(field)] = YamlText.Write(ComputedFieldYaml(field, names.ContainerSegment(field.Container.DatastoreName, field.Container.Name)));
        if (include.Contains("checks"))
            foreach (var check in checks.Where(c => selected.Contains(c.Container.DatastoreId) && (IncludeInactiveChecks || c.Status == CheckStatus.Active)))
                files[names.Check(check)] = YamlText.Write(CheckYaml(check, names.ContainerSegment(check.Container.DatastoreName, check.Container.Name)));
        return (files, names.Variables(exported));
    }

    public static YamlMap ConnectionYaml(ConnectionDto c, ExportNames names)
    {
        var parameters = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in c.Parameters) parameters[key] = value;
        foreach (var secret in c.SecretParametersSet) parameters[secret] = names.Variable(c.Name, secret);
        var map = new YamlMap();
        foreach (var (key, value) in parameters) map.Add(key, value);
        return new YamlMap()
            .Add("name", c.Name).Add("type", c.Type).Add("host", c.Host).Add("port", c.Port).Add("username", c.Username)
            .Add("password", c.PasswordSet ? names.Variable(c.Name, "password") : null)
            .Add("database", c.Database).Add("path", c.Path)
            .Add("parameters", map.Entries.Count == 0 ? null : map);
    }

    public static YamlMap DatastoreYaml(DatastoreDto d)
    {
        // The Public team is what a datastore without teams gets, so saying nothing round-trips to the same state.
        var teams = d.Teams.Select(t => t.Name).ToList();
        if (teams is [TeamDto.PublicName]) teams = [];
        return new YamlMap()
            .Add("name", d.Name).Add("connection", d.Connection.Name).Add("database", d.Database).Add("schema", d.Schema)
            .Add("description", d.Description).Add("tags", d.Tags.Select(t => t.Name).ToList()).Add("teams", teams)
            .Add("group", d.Group?.Name).Add("enrichment_only", d.EnrichmentOnly ? true : null)
            .Add("enrichment_datastore", d.EnrichDatastore?.Name)
            .Add("enrichment_prefix", d.EnrichmentPrefix is { } prefix && prefix != EnrichmentPrefix.From(d.Name) ? prefix : null)
            .Add("source_record_limit", d.SourceRecordLimit != DatastoreRequest.DefaultSourceRecordLimit ? d.SourceRecordLimit : null);
    }

    public static YamlMap ContainerYaml(ComputedContainerDto c) => new YamlMap()
        .Add("name", c.Name).Add("container_type", c.ContainerType).Add("description", c.Description).Add("query", c.Query)
        .Add("left_container", c.LeftContainer?.Name).Add("right_container", c.RightContainer?.Name)
        .Add("join_type", c.JoinType).Add("left_field", c.LeftField).Add("right_field", c.RightField)
        .Add("left_select", c.LeftSelect.ToList()).Add("right_select", c.RightSelect.ToList())
        .Add("select_clause", c.SelectClause).Add("left_prefix", c.LeftPrefix).Add("right_prefix", c.RightPrefix)
        .Add("where_clause", c.WhereClause).Add("group_by_clause", c.GroupByClause);

    /// <param name="containerSegment">The folder the file sits in: it names the container only when it is the container's name.</param>
    public static YamlMap ComputedFieldYaml(ComputedFieldDto f, string containerSegment)
    {
        var map = new YamlMap().Add("name", f.Name);
        if (containerSegment != f.Container.Name) map.Add("container", f.Container.Name);
        return map.Add("transformation", f.Transformation).Add("source_fields", f.SourceFields.ToList())
            .Add("properties", f.Properties).Add("description", f.Description);
    }

    public static YamlMap CheckYaml(QualityCheckDto c, string containerSegment)
    {
        var map = new YamlMap().Add("rule", c.Rule);
        if (containerSegment != c.Container.Name) map.Add("container", c.Container.Name);
        return map.Add("fields", c.FieldNames.ToList()).Add("properties", c.Properties).Add("filter", c.Filter)
            .Add("coverage", c.Coverage == 1 ? null : c.Coverage).Add("description", c.Description)
            .Add("tags", c.Tags.ToList()).Add("uid", c.Uid);
    }
}
