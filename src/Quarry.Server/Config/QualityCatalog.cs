namespace Quarry.Server.Config;

/// <summary>
/// What the store holds for the datastores a config's quality files name: their containers, computed fields
/// and checks, loaded in a few set-based queries and kept up to date as the phase creates more.
/// </summary>
internal sealed class QualityCatalog
{
    /// <summary>
    /// A datastore a quality file names. Pending: created by this plan, or about to be synced by the client.
    /// Stale: moved to another source since its catalog was read (by an earlier change or by this run).
    /// </summary>
    public sealed record DatastoreRef(int Id, string Name, bool Pending, bool Stale = false);

    private readonly Dictionary<string, DatastoreRef> _datastores = [];
    private readonly Dictionary<int, List<Container>> _containers = [];
    private readonly Dictionary<int, string> _containerNames = [];
    private readonly Dictionary<(int, string), ComputedField> _fields = [];
    private readonly Dictionary<(int, string), QualityCheck> _checks = [];
    private readonly Dictionary<string, HashSet<int>> _kept = [];

    public IEnumerable<DatastoreRef> Datastores => _datastores.Values;

    public IReadOnlyCollection<int> DatastoreIds => _datastores.Values.Where(d => !d.Pending).Select(d => d.Id).ToList();

    public HashSet<int> Kept(string kind) => _kept.TryGetValue(kind, out var set) ? set : _kept[kind] = [];

    /// <param name="visible">The datastores the caller may see: any other is treated as one that does not exist.</param>
    public static async Task<QualityCatalog> LoadAsync(QuarryDb db, IQueryable<Datastores.Datastore> visible, ConfigRequest request, IReadOnlySet<string> moved, CancellationToken ct)
    {
        var catalog = new QualityCatalog();
        var names = request.ComputedContainers.Select(c => c.Datastore).Concat(request.ComputedFields.Select(f => f.Datastore))
            .Concat(request.Checks.Select(c => c.Datastore)).Concat(request.Datastores.Select(d => d.Name))
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).DistinctBy(Names.Key).ToList();
        var keys = names.Select(Names.Key).ToList();
        var pending = request.PendingSync.Select(Names.Key).ToHashSet();
        var found = await visible.Where(d => keys.Contains(d.NameKey)).Select(d => new { d.Id, d.Name, d.NameKey, d.CatalogStale }).ToListAsync(ct);
        foreach (var d in found)
            catalog._datastores[d.NameKey] = new DatastoreRef(d.Id, d.Name, pending.Contains(d.NameKey), d.CatalogStale || moved.Contains(d.NameKey));
        // A datastore this config creates is only a placeholder while planning: nothing of it can be cataloged yet.
        foreach (var spec in request.Datastores.Where(d => !string.IsNullOrWhiteSpace(d.Name) && !catalog._datastores.ContainsKey(Names.Key(d.Name!))))
            catalog._datastores[Names.Key(spec.Name!)] = new DatastoreRef(0, spec.Name!.Trim(), true);

        var ids = found.Select(d => d.Id).ToList();
        foreach (var container in await db.Containers.AsNoTracking().Where(c => ids.Contains(c.DatastoreId)).OrderBy(c => c.Id).ToListAsync(ct))
            catalog.Add(container);
        return catalog;
    }

    /// <summary>Loads (tracked, for updates) the computed fields and checks of every container of these datastores.</summary>
    public async Task LoadDefinitionsAsync(QuarryDb db, CancellationToken ct)
    {
        var ids = DatastoreIds;
        var fields = await (from f in db.ComputedFields join c in db.Containers on f.ContainerId equals c.Id where ids.Contains(c.DatastoreId) select f).ToListAsync(ct);
        foreach (var field in fields) Add(field);
        var checks = await (from q in db.QualityChecks join c in db.Containers on q.ContainerId equals c.Id where ids.Contains(c.DatastoreId) select q).ToListAsync(ct);
        foreach (var check in checks) Add(check);
    }

    public void Add(Container container)
    {
        if (!_containers.TryGetValue(container.DatastoreId, out var list)) _containers[container.DatastoreId] = list = [];
        list.Add(container);
        _containerNames[container.Id] = container.Name;
    }

    public void Add(ComputedField field) => _fields[(field.ContainerId, field.NameKey)] = field;

    public void Add(QualityCheck check) => _checks[(check.ContainerId, check.IdentityKey)] = check;

    public string? NameOf(int? containerId) => containerId is int id ? _containerNames.GetValueOrDefault(id) : null;

    public string DatastoreName(int id) => _datastores.Values.First(d => d.Id == id).Name;

    public DatastoreRef? Datastore(ConfigItem item, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) { item.Fail("datastore", "is required: the datastore whose folder holds this file."); return null; }
        if (_datastores.TryGetValue(Names.Key(name), out var datastore)) return datastore;
        item.Fail("datastore", $"datastore '{name.Trim()}' exists neither in this config nor on the server.", ItemError.NotFound);
        return null;
    }

    /// <summary>A container by name: exact first, then regardless of case when that is unambiguous.</summary>
    public Container? Container(int datastoreId, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || !_containers.TryGetValue(datastoreId, out var list)) return null;
        var trimmed = name.Trim();
        return list.FirstOrDefault(c => c.Name == trimmed)
            ?? (list.Where(c => string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null);
    }

    /// <summary>The container an item names; a pending datastore makes the item a create that the catalog can't check yet.</summary>
    public Container? ContainerOrPending(ConfigItem item, DatastoreRef datastore, string? name, string key)
    {
        if (datastore.Pending) { item.Action = ConfigActions.Create; return null; }
        if (string.IsNullOrWhiteSpace(name)) { item.Fail(key, "is required: the container's name (its folder's name)."); return null; }
        var container = Container(datastore.Id, name);
        if (container is not null && !container.Removed) return container;
        var why = container is not null ? $"container '{container.Name}' was not found by the last sync of datastore '{datastore.Name}'."
            : _containers.ContainsKey(datastore.Id) ? $"datastore '{datastore.Name}' has no container named '{name.Trim()}' in its catalog; sync it if the table is new, or check the name."
            : $"datastore '{datastore.Name}' has not been synced yet, so container '{name.Trim()}' is not in its catalog; sync it first (config import does, unless --no-sync).";
        item.Fail(key, why, ItemError.NotFound);
        return null;
    }

    public ComputedField? ComputedField(int containerId, string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : _fields.GetValueOrDefault((containerId, Names.Key(name)));

    public QualityCheck? Check(int containerId, string identity) => _checks.GetValueOrDefault((containerId, identity));
}
