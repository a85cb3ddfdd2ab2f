namespace Quarry.Server.Config;

/// <summary>
/// The quality part of a config: computed containers, then computed fields, then checks (each may name what
/// the previous created), matched by name (checks by their identity: uid, or rule + sorted fields), validated
/// by the single-item services, then pruned. A plan runs the very same writes inside a transaction it rolls
/// back, so a dry run reports exactly what an apply would do, including catalog validation.
/// </summary>
internal sealed class QualityConfigPhase(
    QuarryDb db, ComputedContainerService containers, ComputedFieldService fields, QualityCheckService checks, ConfigPrune prune, Access.Access access)
{
    private QualityCatalog _catalog = null!;
    private string? _namespace;
    private Func<string, string?, ConfigItem> _start = null!;
    private readonly List<ConfigItem> _items = [];
    // Computed fields and checks are written in one save per kind; their ids are known only after it.
    private readonly List<(ConfigItem Item, string Kind, Func<int> Id)> _unsaved = [];
    private object? _touched;

    public static bool HasWork(ConfigRequest request) =>
        request.ComputedContainers.Count + request.ComputedFields.Count + request.Checks.Count + request.Prune.Count > 0;

    /// <param name="moved">Name keys of the datastores this run moves to another source: their catalogs are stale even while planning.</param>
    public async Task RunAsync(ConfigRequest request, bool write, string? ns, Func<string, string?, ConfigItem> start, IReadOnlySet<string> moved, CancellationToken ct)
    {
        if (!HasWork(request)) return;
        _namespace = ns;
        _start = start;
        var planTransaction = write || db.Database.CurrentTransaction is not null ? null : await db.Database.BeginTransactionAsync(ct);
        try
        {
            _catalog = await QualityCatalog.LoadAsync(db, await access.VisibleAsync(db.Datastores.AsNoTracking(), ct), request, moved, ct);
            foreach (var spec in request.ComputedContainers.OrderBy(s => s.ContainerType?.Trim() == ComputedKinds.Join ? 1 : 0))
                await ItemAsync(QualityConfigKinds.ComputedContainer, spec.ItemName, item => ContainerAsync(item, spec, ct), saveNow: true);
            await _catalog.LoadDefinitionsAsync(db, ct);
            foreach (var spec in request.ComputedFields)
                await ItemAsync(QualityConfigKinds.ComputedField, spec.ItemName, item => FieldAsync(item, spec, ct), saveNow: false);
            await SaveBatchAsync(ct);
            foreach (var spec in request.Checks)
                await ItemAsync(QualityConfigKinds.Check, spec.ItemName, item => CheckAsync(item, spec, ct), saveNow: false);
            await SaveBatchAsync(ct);
            if (ns is not null) await prune.RunAsync(request, ns, _catalog, start, write, ct);
        }
        finally
        {
            if (planTransaction is not null)
            {
                await planTransaction.RollbackAsync(CancellationToken.None);
                await planTransaction.DisposeAsync();
                db.ChangeTracker.Clear();
                // Ids handed out inside the rolled-back transaction name nothing.
                foreach (var item in _items.Where(i => i.Action == ConfigActions.Create)) item.Id = null;
            }
        }
    }

    /// <summary>Runs one item; a refusal fails the item and undoes its unsaved changes, so the next save can't carry them.</summary>
    private async Task ItemAsync(string kind, string name, Func<ConfigItem, Task> work, bool saveNow)
    {
        var item = _start(kind, name);
        _items.Add(item);
        if (item.Action == ConfigActions.Failed) return;
        _touched = null;
        try
        {
            await work(item);
            if (saveNow) await db.SaveChangesAsync();
        }
        catch (QuarryProblem problem)
        {
            item.Fail(problem);
            if (saveNow) Revert();
            else if (_touched is not null) Revert(db.Entry(_touched));
        }
        finally
        {
            // In the config, so never pruned, even when this run could not change it.
            if (item.Id is int id) _catalog.Kept(kind).Add(id);
        }
    }

    /// <summary>
    /// The datastore an item names (the catalog holds only those the caller may see, so one outside the caller's teams
    /// answers as one that does not exist), refused when it was moved to another source since its catalog was read:
    /// the item would be validated against tables of the old source.
    /// </summary>
    private QualityCatalog.DatastoreRef? UsableDatastore(ConfigItem item, string? name)
    {
        if (_catalog.Datastore(item, name) is not { } datastore) return null;
        if (!datastore.Stale || datastore.Pending) return datastore;
        item.Fail("datastore", CatalogFields.StaleCatalog(datastore.Name, datastore.Id) + " (config import syncs it first unless --no-sync).");
        return null;
    }

    private void Revert()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
            Revert(entry);
    }

    private static void Revert(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry)
    {
        if (entry.State == EntityState.Added) entry.State = EntityState.Detached;
        else
        {
            entry.CurrentValues.SetValues(entry.OriginalValues);
            entry.State = EntityState.Unchanged;
        }
    }

    private async Task SaveBatchAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        foreach (var (item, kind, id) in _unsaved)
        {
            item.Id = id();
            _catalog.Kept(kind).Add(item.Id.Value);
        }
        _unsaved.Clear();
    }

    private async Task ContainerAsync(ConfigItem item, ComputedContainerSpec spec, CancellationToken ct)
    {
        if (UsableDatastore(item, spec.Datastore) is not { } datastore) return;
        if (datastore.Pending) { item.Action = ConfigActions.Create; return; }
        var existing = _catalog.Container(datastore.Id, spec.Name);
        if (existing is null)
        {
            item.Action = ConfigActions.Create;
            var created = await containers.CreateAsync(QualityConfigDiff.ContainerRequest(spec, datastore.Id), ct);
            db.ComputedContainers.Local.First(d => d.ContainerId == created.Id).ConfigNamespace = _namespace;
            _catalog.Add(created);
            item.Id = created.Id;
            return;
        }
        item.Id = existing.Id;
        if (!ComputedKinds.IsComputed(existing.ContainerType))
        {
            item.Fail("name", $"datastore '{datastore.Name}' already has a {existing.ContainerType} named '{existing.Name}' found by sync; give the computed container another name.");
            return;
        }
        var container = await db.Containers.FirstAsync(c => c.Id == existing.Id, ct);
        var definition = await db.ComputedContainers.FirstAsync(d => d.ContainerId == existing.Id, ct);
        var changes = QualityConfigDiff.Container(definition, _catalog.NameOf(definition.LeftContainerId), _catalog.NameOf(definition.RightContainerId),
            definition.Description, spec, _namespace);
        if (spec.ContainerType is { } type && type.Trim() != container.ContainerType) changes.Insert(0, new FieldChange("container_type", container.ContainerType, type.Trim()));
        item.Changes.AddRange(changes);
        if (changes.Count == 0) return;
        item.Action = ConfigActions.Update;
        await containers.UpdateAsync(container, definition, QualityConfigDiff.ContainerRequest(spec, datastore.Id), ct);
        definition.ConfigNamespace = _namespace ?? definition.ConfigNamespace;
    }

    private async Task FieldAsync(ConfigItem item, ComputedFieldSpec spec, CancellationToken ct)
    {
        if (UsableDatastore(item, spec.Datastore) is not { } datastore) return;
        if (_catalog.ContainerOrPending(item, datastore, spec.Container, "container") is not { } container) return;
        var existing = _catalog.ComputedField(container.Id, spec.Name);
        if (existing is null)
        {
            item.Action = ConfigActions.Create;
            var created = await fields.CreateAsync(QualityConfigDiff.NewField(spec, container.Id), ct);
            created.ConfigNamespace = _namespace;
            _catalog.Add(created);
            _unsaved.Add((item, QualityConfigKinds.ComputedField, () => created.Id));
            return;
        }
        item.Id = existing.Id;
        _touched = existing;
        var (changes, request) = QualityConfigDiff.Field(existing, spec, _namespace);
        item.Changes.AddRange(changes);
        if (changes.Count == 0) return;
        item.Action = ConfigActions.Update;
        await fields.UpdateAsync(existing, request, ct);
        existing.ConfigNamespace = _namespace ?? existing.ConfigNamespace;
    }

    private async Task CheckAsync(ConfigItem item, CheckSpec spec, CancellationToken ct)
    {
        if (UsableDatastore(item, spec.Datastore) is not { } datastore) return;
        // Without a catalog yet, what can be checked is checked now: a plan that says "create" must not hide an
        // unknown rule that would fail the apply after its first stage had written the datastores and synced them.
        if (datastore.Pending && QualityCheckService.ValidateNew(QualityConfigDiff.NewCheck(spec, 0)) is { Count: > 0 } problems)
            throw CatalogFields.Problem(problems);
        if (_catalog.ContainerOrPending(item, datastore, spec.Container, "container") is not { } container) return;
        var identity = CheckIdentity.Of(spec.Rule?.Trim() ?? "", (spec.Fields ?? []).Select(f => f.Trim()), string.IsNullOrWhiteSpace(spec.Uid) ? null : spec.Uid.Trim());
        var existing = _catalog.Check(container.Id, identity);
        if (existing is null)
        {
            item.Action = ConfigActions.Create;
            var created = await checks.CreateAsync(QualityConfigDiff.NewCheck(spec, container.Id), ct);
            created.ConfigNamespace = _namespace;
            _catalog.Add(created);
            _unsaved.Add((item, QualityConfigKinds.Check, () => created.Id));
            return;
        }
        item.Id = existing.Id;
        _touched = existing;
        var (changes, request) = QualityConfigDiff.Check(existing, spec, _namespace);
        item.Changes.AddRange(changes);
        if (changes.Count == 0) return;
        item.Action = ConfigActions.Update;
        await checks.UpdateAsync(existing, request, ct);
        existing.ConfigNamespace = _namespace ?? existing.ConfigNamespace;
    }
}
