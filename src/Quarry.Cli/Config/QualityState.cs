namespace Quarry.Cli.Config;

/// <summary>Turns validated quality files into the specs the server plans, and maps its answers back to files.</summary>
internal static class QualityState
{
    public static List<ComputedContainerSpec> Containers(LoadedConfig loaded) => loaded.Of(ContainerFileKind.Instance).Select(d => Container(loaded, d)).ToList();

    public static List<ComputedFieldSpec> Fields(LoadedConfig loaded) => loaded.Of(ComputedFieldFileKind.Instance).Select(d => Field(loaded, d)).ToList();

    public static List<CheckSpec> Checks(LoadedConfig loaded) => loaded.Of(CheckFileKind.Instance).Select(d => Check(loaded, d)).ToList();

    private static ComputedContainerSpec Container(LoadedConfig loaded, ConfigDocument d) => new()
    {
        Datastore = QualityPaths.Datastore(loaded, d), Name = d.Name, ContainerType = d.String("container_type"), Query = d.String("query"),
        LeftContainer = d.String("left_container"), RightContainer = d.String("right_container"), JoinType = d.String("join_type"),
        LeftField = d.String("left_field"), RightField = d.String("right_field"), LeftSelect = d.List("left_select"),
        RightSelect = d.List("right_select"), SelectClause = d.String("select_clause"), LeftPrefix = d.String("left_prefix"),
        RightPrefix = d.String("right_prefix"), WhereClause = d.String("where_clause"), GroupByClause = d.String("group_by_clause"), Description = d.String("description"),
    };

    private static ComputedFieldSpec Field(LoadedConfig loaded, ConfigDocument d) => new()
    {
        Datastore = QualityPaths.Datastore(loaded, d), Container = QualityPaths.Container(loaded, d), Name = d.Name,
        Transformation = d.String("transformation"), SourceFields = d.List("source_fields"), Properties = d.Map("properties"),
        Description = d.String("description"),
    };

    private static CheckSpec Check(LoadedConfig loaded, ConfigDocument d)
    {
        var check = CheckBody(d);
        check.Datastore = QualityPaths.Datastore(loaded, d);
        check.Container = QualityPaths.Container(loaded, d);
        return check;
    }

    /// <summary>What a check file states, without where it sits (its datastore and container): all a file's own validation needs.</summary>
    public static CheckSpec CheckBody(ConfigDocument d) => new()
    {
        Rule = d.String("rule"), Fields = d.List("fields"), Properties = d.Map("properties"), Filter = d.String("filter"),
        Coverage = d.Values.GetValueOrDefault("coverage")?.Value as double?, Description = d.String("description"),
        Tags = d.List("tags"), Uid = d.String("uid"),
    };

    /// <summary>The server's name for the item a file defines (see the specs' ItemName).</summary>
    public static string? ItemName(LoadedConfig loaded, ConfigDocument d) =>
        d.Kind == ContainerFileKind.Instance ? Container(loaded, d).ItemName
        : d.Kind == ComputedFieldFileKind.Instance ? Field(loaded, d).ItemName
        : d.Kind == CheckFileKind.Instance ? Check(loaded, d).ItemName
        : null;

    public static ConfigDocument? Find(LoadedConfig loaded, ConfigItemResult item)
    {
        var kind = ConfigFileKinds.All.FirstOrDefault(k => k.ItemKind == item.Kind);
        return kind is null ? null : loaded.Of(kind).FirstOrDefault(d => ItemName(loaded, d) == item.Name);
    }

    /// <summary>The containers the quality files need from the catalog, with the file that needs each (computed ones excluded).</summary>
    public static List<(string Datastore, string Container, ConfigDocument File, string Key)> NeededContainers(LoadedConfig loaded)
    {
        var computed = Containers(loaded).Select(c => (Names.Key(c.Datastore ?? ""), c.Name?.Trim() ?? "")).ToHashSet();
        var needed = new List<(string, string, ConfigDocument, string)>();
        foreach (var d in loaded.Of(ComputedFieldFileKind.Instance).Concat(loaded.Of(CheckFileKind.Instance)))
            needed.Add((QualityPaths.Datastore(loaded, d), QualityPaths.Container(loaded, d), d, "container"));
        foreach (var d in loaded.Of(ContainerFileKind.Instance))
            foreach (var key in new[] { "left_container", "right_container" })
                if (d.String(key) is { Length: > 0 } name) needed.Add((QualityPaths.Datastore(loaded, d), name.Trim(), d, key));
        return needed.Where(n => !computed.Contains((Names.Key(n.Item1), n.Item2))).ToList();
    }

    /// <summary>The server kinds <c>--prune</c> covers for the included file kinds; datastores and connections only for a whole folder.</summary>
    public static List<string> PruneKinds(IReadOnlyList<ConfigFileKind> kinds, ConfigFolder folder)
    {
        var whole = folder.Root is not null && folder.Input == folder.Root;
        return kinds.Where(k => whole || (k != ConnectionFileKind.Instance && k != DatastoreFileKind.Instance)).Select(k => k.ItemKind).ToList();
    }
}
