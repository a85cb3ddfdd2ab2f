namespace Quarry.Cli.Config;

/// <summary>
/// Makes sure the catalog holds every container the quality files name before they are planned: finds the
/// missing ones, and (unless <c>--no-sync</c>) applies the connections and datastores first, syncs the
/// datastores that lack them, waits, and checks again. A dry run never writes: missing containers are
/// planned as pending instead.
/// </summary>
internal sealed class QualityImport(CliContext context, QuarryClient client, ImportOptions options)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(30);

    /// <summary>What the first stage applied, so the final report can say "created" rather than "unchanged".</summary>
    public ConfigResult? FirstStage { get; private set; }

    /// <summary>The syncs run before the checks, with their results, for the report.</summary>
    public List<SyncStarted> Syncs { get; } = [];

    /// <summary>What a dry run should know about the apply's extra steps.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Null to go on with the plan; otherwise the errors that stop the import, or the failed first stage.</summary>
    public async Task<(List<ConfigError>? Errors, ConfigResult? Failed)> PrepareAsync(ConfigRequest request, LoadedConfig loaded, CancellationToken ct)
    {
        var needed = QualityState.NeededContainers(loaded);
        var missing = needed.Count == 0 ? [] : await MissingAsync(needed, ct);
        // A datastore this config moves to another source (or one moved earlier and not synced since) has a catalog of the
        // old source: its quality files are checked against the new one only after a sync, whatever the old catalog holds.
        var moved = await MovedAsync(request, ct);
        if (missing.Count == 0 && moved.Count == 0) return (null, null);

        if (options.NoSync)
            return ([.. Errors(missing, "is not in the catalog of datastore '{0}', and --no-sync forbids syncing it; sync the datastore first, or drop --no-sync."),
                .. moved.Select(name => MovedError(loaded, name, "and --no-sync forbids syncing it; sync the datastore first, or drop --no-sync."))], null);
        var toSync = missing.Select(m => m.Datastore).Concat(moved).DistinctBy(Names.Key).ToList();
        if (options.DryRun)
        {
            request.PendingSync = toSync;
            if (missing.Count > 0)
                Warnings.Add($"the apply will first apply the connections and datastores, then sync {Quoted(missing.Select(m => m.Datastore))} "
                    + "(connecting to its database) to catalog the containers the checks and computed fields name, then apply those.");
            if (moved.Count > 0)
                Warnings.Add($"{Quoted(moved)} moves (or was moved) to another connection, database or schema: the apply will first apply the connections "
                    + "and datastores, then sync it from its new source, then check and apply its quality files against that catalog.");
            return (null, null);
        }

        // The datastores must exist before they can be synced: apply that part of the config on its own first.
        var first = new ConfigRequest { Namespace = request.Namespace, ContinueOnError = request.ContinueOnError, Connections = request.Connections, Datastores = request.Datastores };
        if (first.Connections.Count + first.Datastores.Count > 0)
        {
            FirstStage = await Progress.RunAsync(context, "Applying connections and datastores before syncing…", _ => client.PostAsync<ConfigResult>("/api/config/apply", first, ct));
            if (!FirstStage.Applied) return (null, FirstStage);
        }

        foreach (var name in toSync)
        {
            var id = await DatastoreIdAsync(name, ct);
            if (id is null) continue;
            var operation = await client.PostAsync<OperationDto>("/api/operations/run", new { type = "sync", datastore_id = id }, ct);
            operation = await Progress.RunAsync(context, moved.Any(m => Names.Key(m) == Names.Key(name))
                ? $"Syncing datastore '{name}' from its new source before its checks…"
                : $"Syncing datastore '{name}' to catalog the containers the checks name…", _ => WaitAsync(operation, ct));
            Syncs.Add(new SyncStarted(name, id.Value, operation.Id, operation.Result));
            if (operation.Result != "success")
            {
                var message = $"the sync of datastore '{name}' (operation {operation.Id}) ended {operation.Result}: {operation.Message}";
                return ([loaded.Find(DatastoreFileKind.Instance, name)?.ErrorAt(null, message) ?? new ConfigError(name, 0, 0, message)], null);
            }
        }

        missing = needed.Count == 0 ? [] : await MissingAsync(needed, ct);
        return missing.Count == 0 ? (null, null) : (Errors(missing, "is not in the catalog of datastore '{0}', even after syncing it; check the name."), null);
    }

    /// <summary>Reports items the first stage created or updated with that action, not as the "unchanged" the second plan sees.</summary>
    public ConfigResult Merge(ConfigResult result)
    {
        if (FirstStage is null) return result;
        var first = FirstStage.Items.ToDictionary(i => (i.Kind, i.Name));
        var items = result.Items.Select(i => i.Action == ConfigActions.Unchanged && first.TryGetValue((i.Kind, i.Name), out var earlier) ? earlier : i).ToList();
        // Whatever the first stage wrote is reported even if the second answer leaves it out.
        var seen = result.Items.Select(i => (i.Kind, i.Name)).ToHashSet();
        items.InsertRange(0, FirstStage.Items.Where(i => !seen.Contains((i.Kind, i.Name))));
        return result with { Items = items };
    }

    private async Task<List<(string Datastore, string Container, ConfigDocument File, string Key)>> MissingAsync(
        List<(string Datastore, string Container, ConfigDocument File, string Key)> needed, CancellationToken ct)
    {
        var catalogs = new Dictionary<string, HashSet<string>?>();
        foreach (var name in needed.Select(n => n.Datastore).DistinctBy(Names.Key))
        {
            var id = await DatastoreIdAsync(name, ct);
            catalogs[Names.Key(name)] = id is null ? null
                : (await client.GetAllAsync<ContainerDto>($"/api/containers?datastore={id}", ct)).Where(c => !c.Removed).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        return needed.Where(n => catalogs[Names.Key(n.Datastore)] is not { } names || !names.Contains(n.Container)).ToList();
    }

    /// <summary>
    /// The datastores named by quality files that this config moves to another connection, database or schema, whose
    /// connection it points at another host, port or file, or that the server marks as moved and not synced since: the
    /// server refuses their checks until a sync of the new source.
    /// </summary>
    private async Task<List<string>> MovedAsync(ConfigRequest request, CancellationToken ct)
    {
        var specs = request.Datastores.Where(d => !string.IsNullOrWhiteSpace(d.Name)).DistinctBy(d => Names.Key(d.Name!)).ToDictionary(d => Names.Key(d.Name!));
        var connections = request.Connections.Where(c => !string.IsNullOrWhiteSpace(c.Name)).DistinctBy(c => Names.Key(c.Name!)).ToDictionary(c => Names.Key(c.Name!));
        var moved = new List<string>();
        var repointed = new Dictionary<int, bool>();
        foreach (var name in request.Checks.Select(c => c.Datastore).Concat(request.ComputedFields.Select(f => f.Datastore))
                     .Concat(request.ComputedContainers.Select(c => c.Datastore)).OfType<string>().Select(n => n.Trim()).DistinctBy(Names.Key))
        {
            if (await DatastoreAsync(name, ct) is not { } stored) continue;
            var spec = specs.GetValueOrDefault(Names.Key(name));
            if (stored.CatalogStale || (spec is not null && Moves(spec, stored))
                || (connections.GetValueOrDefault(Names.Key(stored.Connection.Name)) is { } connection
                    && await RepointsAsync(connection, stored.ConnectionId)))
                moved.Add(stored.Name);
        }
        return moved;

        // A key the file leaves out keeps the stored value; blank means the connection's default, as on the server.
        static bool Moves(DatastoreSpec spec, DatastoreDto stored) =>
            (!string.IsNullOrWhiteSpace(spec.Connection) && Names.Key(spec.Connection) != Names.Key(stored.Connection.Name))
            || (!string.IsNullOrWhiteSpace(spec.Database) && spec.Database.Trim() != stored.Database)
            || (!string.IsNullOrWhiteSpace(spec.Schema) && spec.Schema.Trim() != stored.Schema);

        // Asked once per connection, however many of its datastores the quality files name.
        async Task<bool> RepointsAsync(ConnectionRequest spec, int id)
        {
            if (!repointed.TryGetValue(id, out var answer))
                repointed[id] = answer = Repoints(spec, await client.GetAsync<ConnectionDto>($"/api/connections/{id}", ct));
            return answer;
        }

        // The server's test of a connection that points elsewhere: a host, port or file the file gives and that differs.
        static bool Repoints(ConnectionRequest spec, ConnectionDto stored) =>
            Differs(spec.Host, stored.Host) || (spec.Port is not null && spec.Port != stored.Port) || Differs(spec.Path, stored.Path);

        static bool Differs(string? given, string? stored) => given is not null && (string.IsNullOrWhiteSpace(given) ? null : given.Trim()) != stored;
    }

    private static ConfigError MovedError(LoadedConfig loaded, string name, string what)
    {
        var message = $"datastore '{name}' moves (or was moved) to another connection, database or schema, so its checks and computed fields "
            + $"need a sync of its new source first, {what}";
        return loaded.Find(DatastoreFileKind.Instance, name)?.ErrorAt(null, message) ?? new ConfigError(name, 0, 0, message);
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.DistinctBy(Names.Key).Select(d => $"'{d}'"));

    // Asked before and after the first stage and again to sync: a datastore found once keeps its id.
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private async Task<int?> DatastoreIdAsync(string name, CancellationToken ct)
    {
        if (_ids.TryGetValue(Names.Key(name), out var known)) return known;
        return (await DatastoreAsync(name, ct))?.Id;
    }

    private async Task<DatastoreDto?> DatastoreAsync(string name, CancellationToken ct)
    {
        var datastore = (await client.GetAsync<Page<DatastoreDto>>($"/api/datastores?name={Uri.EscapeDataString(name)}", ct)).Items.FirstOrDefault();
        if (datastore is not null) _ids[Names.Key(name)] = datastore.Id;
        return datastore;
    }

    private async Task<OperationDto> WaitAsync(OperationDto operation, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + SyncTimeout;
        while (operation.State != OperationState.Finished)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The sync of datastore {operation.DatastoreId} (operation {operation.Id}) did not finish in {SyncTimeout.TotalMinutes} minutes.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            operation = await client.GetAsync<OperationDto>($"/api/operations/{operation.Id}", ct);
        }
        return operation;
    }

    private static List<ConfigError> Errors(List<(string Datastore, string Container, ConfigDocument File, string Key)> missing, string format) =>
        missing.Select(m => m.File.ErrorAt(m.File.Values.ContainsKey(m.Key) ? m.Key : null,
            $"container '{m.Container}' {string.Format(System.Globalization.CultureInfo.InvariantCulture, format, m.Datastore)}")).ToList();
}
