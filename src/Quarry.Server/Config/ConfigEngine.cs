namespace Quarry.Server.Config;

/// <summary>
/// Plans a config's desired state against the store and, when asked, writes it in dependency order:
/// connections, datastore groups, enrichment datastores, then the datastores that use (and link to) them.
/// Planning and applying run the same code, so a dry run shows exactly what an apply would do. Validation
/// is the single-item endpoints' own (<see cref="ConnectionService"/>, <see cref="DatastoreService"/>), fed
/// with state loaded up front so that no item costs a query. The caller owns the transaction.
/// </summary>
internal sealed class ConfigEngine(QuarryDb db, ConnectionService connections, DatastoreService datastores, Access.Access access, QualityConfigPhase quality)
{
    private readonly List<ConfigItem> _items = [];
    private readonly Dictionary<(string Kind, string Key), ConfigItem> _byName = [];
    private ConfigState _state = null!;
    private IReadOnlyDictionary<int, TeamPermission> _permissions = null!;
    private bool _write;
    private string? _namespace;
    // The config's own datastores by name key, for saying why an enrichment_datastore named in the config can't be one.
    private Dictionary<string, DatastoreSpec> _configDatastores = [];
    // While planning, new resources get negative placeholder ids so that later phases can refer to them.
    private int _nextPlaceholder = -1;

    public async Task<IReadOnlyList<ConfigItemResult>> RunAsync(ConfigRequest request, bool write, CancellationToken ct)
    {
        _write = write;
        _namespace = string.IsNullOrWhiteSpace(request.Namespace) ? null : request.Namespace.Trim();
        _state = await ConfigState.LoadAsync(db, datastores, request, ct);
        _configDatastores = request.Datastores.Where(d => !string.IsNullOrWhiteSpace(d.Name)).DistinctBy(d => Names.Key(d.Name!))
            .ToDictionary(d => Names.Key(d.Name!));
        _permissions = await access.TeamPermissionsAsync(ct);

        await ConnectionsAsync(request.Connections, ct);
        await GroupsAsync(request.Datastores, ct);
        await DatastoresAsync(request.Datastores.Where(d => d.EnrichmentOnly == true).ToList(), ct);
        await DatastoresAsync(request.Datastores.Where(d => d.EnrichmentOnly != true).ToList(), ct);
        await quality.RunAsync(request, write, _namespace, Start, Moved(), ct);
        return _items.Select(i => i.ToResult()).ToList();
    }

    public bool AnyFailed => _items.Any(i => i.Action is ConfigActions.Failed or ConfigActions.Skipped);

    private async Task ConnectionsAsync(List<ConnectionRequest> specs, CancellationToken ct)
    {
        var work = new List<(ConfigItem Item, ConnectionRequest Request, Connection? Existing)>();
        foreach (var spec in specs)
        {
            var item = Start(ConfigKinds.Connection, spec.Name);
            if (item.Action == ConfigActions.Failed) continue;
            var existing = _state.ConnectionsByKey.GetValueOrDefault(Names.Key(item.Name));
            if (existing is null)
            {
                if (Refuse(item, Role.Manager, "Creating connections")) continue;
                item.Action = ConfigActions.Create;
                work.Add((item, spec, null));
                continue;
            }
            item.Id = existing.Id;
            List<FieldChange> changes;
            ConnectionRequest request;
            // Only those who may change a connection have its secrets compared: for anyone else "unchanged" versus
            // "changed" would answer whether a guessed password is the stored one.
            try { (changes, request) = ConfigDiff.Connection(existing, spec, _namespace, connections, compareSecrets: access.IsAtLeast(Role.Manager)); }
            catch (QuarryProblem problem) { item.Fail(problem); continue; }
            item.Changes.AddRange(changes);
            if (changes.Count == 0) { item.Action = ConfigActions.Unchanged; continue; }
            if (Refuse(item, Role.Manager, "Updating connections")) continue;
            item.Action = ConfigActions.Update;
            work.Add((item, request, existing));
        }

        var updateIds = work.Where(w => w.Existing is not null).Select(w => w.Existing!.Id).ToList();
        var tracked = _write ? await db.Connections.Where(c => EF.Parameter(updateIds).Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct) : [];
        // The stored connection is changed by UpdateAsync, which also marks its datastores stale when it points elsewhere.
        var created = await WriteAsync(work, c => tracked[c.Id], Stamp, request => Task.FromResult(connections.Create(request)),
            (connection, request) => { connections.Update(connection, request); return Task.CompletedTask; },
            (connection, request) => connections.UpdateAsync(connection, request, ct));
        await SaveAsync(created, (c, id) => c.Id = id, ct);
        foreach (var connection in created)
        {
            _state.Add(connection);
            _byName[(ConfigKinds.Connection, connection.NameKey)].Id = connection.Id;
        }
    }

    private async Task GroupsAsync(List<DatastoreSpec> specs, CancellationToken ct)
    {
        var created = new List<DatastoreGroup>();
        var now = DateTime.UtcNow;
        foreach (var name in specs.Select(d => d.Group).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g!.Trim()).DistinctBy(Names.Key))
        {
            var item = Start(ConfigKinds.Group, name);
            // An existing group is reported as unchanged, so a re-run's summary still shows the groups the folder names.
            if (_state.GroupsByKey.TryGetValue(Names.Key(name), out var existing))
            {
                item.Id = existing.Id;
                continue;
            }
            if (item.Action == ConfigActions.Failed || Refuse(item, Role.Manager, "Creating datastore groups")) continue;
            item.Action = ConfigActions.Create;
            created.Add(new DatastoreGroup { Name = name, NameKey = Names.Key(name), ConfigNamespace = _namespace, CreatedAt = now });
        }
        await SaveAsync(created, (g, id) => g.Id = id, ct);
        foreach (var group in created)
        {
            _state.Add(group);
            _byName[(ConfigKinds.Group, group.NameKey)].Id = group.Id;
        }
    }

    private async Task DatastoresAsync(List<DatastoreSpec> specs, CancellationToken ct)
    {
        var work = new List<(ConfigItem Item, DatastoreRequest Request, Datastore? Existing)>();
        foreach (var spec in specs)
        {
            var item = Start(ConfigKinds.Datastore, spec.Name);
            if (item.Action == ConfigActions.Failed || !References(item, spec)) continue;
            // A datastore the caller may not see is planned as one that does not exist (a Member is then refused creating
            // it), so that naming datastores in a config tells nothing about which exist.
            var existing = Visible(Names.Key(item.Name));
            if (existing is null)
            {
                if (string.IsNullOrWhiteSpace(spec.Connection)) { item.Fail("connection", "is required: the name of the connection this datastore uses."); continue; }
                if (Refuse(item, Role.Manager, "Creating datastores")) continue;
                item.Action = ConfigActions.Create;
                work.Add((item, CreateRequest(spec), null));
                continue;
            }
            item.Id = existing.Id;
            var (changes, request) = ConfigDiff.Datastore(existing, spec, _namespace, _state);
            item.Changes.AddRange(changes);
            if (changes.Count == 0) { item.Action = ConfigActions.Unchanged; continue; }
            if (!access.IsAtLeast(Role.Manager) && !existing.Teams.Any(t => _permissions.TryGetValue(t.TeamId, out var p) && p >= TeamPermission.Editor))
            {
                item.Fail(null, $"Updating datastore '{existing.Name}' needs the Editor permission in one of its teams, or the Manager role.", ItemError.Forbidden);
                continue;
            }
            item.Action = ConfigActions.Update;
            work.Add((item, request, existing));
        }

        var updateIds = work.Where(w => w.Existing is not null).Select(w => w.Existing!.Id).ToList();
        var tracked = _write
            ? await db.Datastores.Include(d => d.Teams).Include(d => d.Tags).AsSplitQuery().Where(d => EF.Parameter(updateIds).Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct)
            : [];
        var created = await WriteAsync(work, d => tracked[d.Id], Stamp, request => datastores.CreateAsync(request, ct),
            (datastore, request) => datastores.UpdateAsync(datastore, request, ct));
        await SaveAsync(created, (d, id) => d.Id = id, ct);
        foreach (var datastore in created)
        {
            _state.Add(datastore);
            _byName[(ConfigKinds.Datastore, datastore.NameKey)].Id = datastore.Id;
        }
    }

    /// <summary>Checks the names a datastore refers to exist (in this config or the store), or that what they name failed.</summary>
    private bool References(ConfigItem item, DatastoreSpec spec)
    {
        if (!string.IsNullOrWhiteSpace(spec.EnrichmentDatastore) && NotAnEnrichmentTarget(spec) is { } problem)
        {
            item.Fail("enrichment_datastore", problem);
            return false;
        }
        Check(ConfigKinds.Connection, "connection", spec.Connection, _state.ConnectionsByKey.ContainsKey,
            n => $" Add connections/{n}.yaml (and keep connections in --include), or create it on the server first.");
        Check(ConfigKinds.Group, "group", spec.Group, _state.GroupsByKey.ContainsKey, _ => "");
        Check(ConfigKinds.Datastore, "enrichment_datastore", spec.EnrichmentDatastore, key => Visible(key) is not null,
            n => $" Add datastores/{n}/_datastore.yaml, or check the name.");
        return item.Action != ConfigActions.Failed && item.Action != ConfigActions.Skipped;

        // A dangling name is usually a missing file or a typo: the hint says what to add, and where.
        void Check(string kind, string field, string? name, Func<string, bool> exists, Func<string, string> hint)
        {
            if (string.IsNullOrWhiteSpace(name)) return;
            var key = Names.Key(name);
            if (_byName.TryGetValue((kind, key), out var other) && other.Action is ConfigActions.Failed or ConfigActions.Skipped)
                item.Skip(field, $"{kind.Replace('_', ' ')} '{name.Trim()}' failed, so this datastore was not attempted.");
            else if (!exists(key))
                item.Fail(field, $"{kind.Replace('_', ' ')} '{name.Trim()}' exists neither in this config nor on the server.{hint(name.Trim())}", ItemError.NotFound);
        }
    }

    /// <summary>Why the config's own choice of enrichment datastore can't work, before "does it exist" is asked.</summary>
    private string? NotAnEnrichmentTarget(DatastoreSpec spec)
    {
        var name = spec.EnrichmentDatastore!.Trim();
        if (spec.EnrichmentOnly == true) return $"'{spec.Name?.Trim()}' is itself an enrichment datastore (enrichment_only: true), and an enrichment datastore cannot link to one.";
        var key = Names.Key(name);
        // A file that leaves enrichment_only out keeps what the server has.
        if (_configDatastores.TryGetValue(key, out var target) && !(target.EnrichmentOnly ?? Visible(key)?.EnrichmentOnly ?? false))
            return $"datastore '{name}' is not an enrichment datastore: set enrichment_only: true in its file, or name one that is.";
        return null;
    }

    /// <summary>A stored datastore by name key, or null when there is none or the caller is in none of its teams.</summary>
    private Datastore? Visible(string key) =>
        _state.DatastoresByKey.GetValueOrDefault(key) is { } datastore
            && (access.IsAtLeast(Role.Manager) || datastore.Teams.Any(t => _permissions.ContainsKey(t.TeamId))) ? datastore : null;

    /// <summary>
    /// The datastores this run moves to another connection, database or schema, or whose connection it points at another
    /// host, port or file: their catalogs describe the old source.
    /// </summary>
    private HashSet<string> Moved()
    {
        var repointed = _items
            .Where(i => i.Kind == ConfigKinds.Connection && i.Action == ConfigActions.Update && i.Changes.Any(c => c.Field is "host" or "port" or "path"))
            .Select(i => Names.Key(i.Name)).ToHashSet();
        var repointedIds = _state.ConnectionsByKey.Where(c => repointed.Contains(c.Key)).Select(c => c.Value.Id).ToHashSet();
        return _items
            .Where(i => i.Kind == ConfigKinds.Datastore && i.Action == ConfigActions.Update && i.Changes.Any(c => c.Field is "connection" or "database" or "schema"))
            .Select(i => Names.Key(i.Name))
            .Concat(_state.DatastoresByKey.Where(d => repointedIds.Contains(d.Value.ConnectionId)).Select(d => d.Key))
            .ToHashSet();
    }

    private DatastoreRequest CreateRequest(DatastoreSpec spec) => new()
    {
        Name = spec.Name,
        ConnectionId = _state.ConnectionsByKey[Names.Key(spec.Connection!)].Id,
        Database = spec.Database,
        Schema = spec.Schema,
        Description = spec.Description,
        Tags = spec.Tags,
        Teams = spec.Teams,
        GroupId = string.IsNullOrWhiteSpace(spec.Group) ? null : _state.GroupsByKey[Names.Key(spec.Group)].Id,
        EnrichmentOnly = spec.EnrichmentOnly,
        EnrichmentDatastoreId = string.IsNullOrWhiteSpace(spec.EnrichmentDatastore) ? null : _state.DatastoresByKey[Names.Key(spec.EnrichmentDatastore)].Id,
        EnrichmentPrefix = spec.EnrichmentPrefix,
        SourceRecordLimit = spec.SourceRecordLimit,
    };

    private ConfigItem Start(string kind, string? name)
    {
        var item = new ConfigItem(kind, name?.Trim() ?? "");
        _items.Add(item);
        if (item.Name.Length == 0) item.Fail("name", "is required.");
        // A check's uid is matched as written (the server keeps "u1" and "U1" apart); names ignore case.
        else if (!_byName.TryAdd((kind, kind == QualityConfigKinds.Check ? item.Name : Names.Key(item.Name)), item))
            item.Fail("name", kind == QualityConfigKinds.Check
                // A check has no name: rule, fields and uid are what tell two apart.
                ? "another file in this container checks the same rule on the same fields; remove one, or give each a different uid."
                : $"is used by more than one {kind.Replace('_', ' ')} in this config (names are unique regardless of case).");
        return item;
    }

    private bool Refuse(ConfigItem item, Role role, string action)
    {
        if (access.IsAtLeast(role)) return false;
        item.Fail(null, $"{action} needs the {role} role; your role is {access.Role}.", ItemError.Forbidden);
        return true;
    }

    /// <summary>
    /// Creates what each item plans to create and updates what it plans to update, through the single-item service; a
    /// change the service refuses fails its item, and the others go on. Answers the new entities, to be saved.
    /// </summary>
    /// <param name="tracked">The tracked entity of a stored one; asked only when writing.</param>
    /// <param name="update">Applies a change to the read-only copy, to validate it.</param>
    /// <param name="updateStored">Applies it to the tracked entity when writing, where that does more; else <paramref name="update"/>.</param>
    private async Task<List<T>> WriteAsync<T, TRequest>(List<(ConfigItem Item, TRequest Request, T? Existing)> work, Func<T, T> tracked, Func<T, T> stamp,
        Func<TRequest, Task<T>> create, Func<T, TRequest, Task> update, Func<T, TRequest, Task>? updateStored = null) where T : class
    {
        updateStored ??= update;
        var created = new List<T>();
        foreach (var (item, request, existing) in work)
        {
            try
            {
                if (existing is null) created.Add(stamp(await create(request)));
                else
                {
                    // Validate on the read-only copy first, so a refused change never touches the tracked entity.
                    await update(existing, request);
                    if (_write) await updateStored(stamp(tracked(existing)), request);
                }
            }
            catch (QuarryProblem problem)
            {
                item.Fail(problem);
            }
        }
        return created;
    }

    private Connection Stamp(Connection connection)
    {
        if (_namespace is not null) connection.ConfigNamespace = _namespace;
        return connection;
    }

    private Datastore Stamp(Datastore datastore)
    {
        if (_namespace is not null) datastore.ConfigNamespace = _namespace;
        return datastore;
    }

    /// <summary>
    /// Writes a phase: one SaveChanges for the updates, multi-row INSERTs for what is new (EF alone would write one
    /// statement per row, and per tag and team). While planning, hands out placeholder ids.
    /// </summary>
    private async Task SaveAsync<T>(List<T> created, Action<T, int> setPlaceholderId, CancellationToken ct) where T : class
    {
        if (!_write)
        {
            foreach (var entity in created) setPlaceholderId(entity, _nextPlaceholder--);
            return;
        }
        await db.SaveChangesAsync(ct);
        // Connections, groups and datastores all have a unique name key to match their new ids back by.
        await BulkInsert.AddAsync(db, created, "NameKey", ct);
        if (created is not List<Datastore> datastores) return;
        foreach (var datastore in datastores)
        {
            foreach (var tag in datastore.Tags) tag.DatastoreId = datastore.Id;
            foreach (var team in datastore.Teams) team.DatastoreId = datastore.Id;
        }
        await BulkInsert.AddAsync(db, datastores.SelectMany(d => d.Tags).ToList(), null, ct);
        await BulkInsert.AddAsync(db, datastores.SelectMany(d => d.Teams).ToList(), null, ct);
    }
}
