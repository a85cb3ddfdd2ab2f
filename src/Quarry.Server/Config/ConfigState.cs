namespace Quarry.Server.Config;

/// <summary>
/// What the store already holds of a config's resources, loaded in a handful of set-based queries
/// (never one per item), read-only. Entities created while applying are added as they get their ids. What it
/// holds, the datastore service that validates the config's datastores knows too, so no request costs a query.
/// Name and id lists go to the store as one array parameter (EF.Parameter): EF's default of one SQL
/// parameter per element made a 1,000-name lookup take seconds on SQLite.
/// </summary>
internal sealed class ConfigState(DatastoreService datastores)
{
    public Dictionary<string, Connection> ConnectionsByKey { get; } = [];
    public Dictionary<int, Connection> ConnectionsById { get; } = [];
    public Dictionary<string, Datastore> DatastoresByKey { get; } = [];
    public Dictionary<int, Datastore> DatastoresById { get; } = [];
    public Dictionary<string, DatastoreGroup> GroupsByKey { get; } = [];
    public Dictionary<int, DatastoreGroup> GroupsById { get; } = [];
    public IReadOnlyDictionary<int, Team> TeamsById { get; private set; } = new Dictionary<int, Team>();

    public static async Task<ConfigState> LoadAsync(QuarryDb db, DatastoreService datastores, ConfigRequest request, CancellationToken ct)
    {
        var state = new ConfigState(datastores);
        var datastoreKeys = request.Datastores.Select(d => d.Name).Concat(request.Datastores.Select(d => d.EnrichmentDatastore))
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Names.Key(n!)).Distinct().ToList();
        var found = await db.Datastores.AsNoTracking().Where(d => EF.Parameter(datastoreKeys).Contains(d.NameKey))
            .Include(d => d.Teams).Include(d => d.Tags).AsSplitQuery().ToListAsync(ct);
        // Existing datastores may link to enrichment datastores the config doesn't name; their names are needed for the diff.
        var linked = found.Where(d => d.EnrichmentDatastoreId is not null).Select(d => d.EnrichmentDatastoreId!.Value)
            .Except(found.Select(d => d.Id)).ToList();
        if (linked.Count > 0) found.AddRange(await db.Datastores.AsNoTracking().Where(d => EF.Parameter(linked).Contains(d.Id)).ToListAsync(ct));
        foreach (var datastore in found) state.Add(datastore);

        var connectionKeys = request.Connections.Select(c => c.Name).Concat(request.Datastores.Select(d => d.Connection))
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Names.Key(n!)).Distinct().ToList();
        var connectionIds = found.Select(d => d.ConnectionId).Distinct().ToList();
        var connections = await db.Connections.AsNoTracking()
            .Where(c => EF.Parameter(connectionKeys).Contains(c.NameKey) || EF.Parameter(connectionIds).Contains(c.Id)).ToListAsync(ct);
        foreach (var connection in connections) state.Add(connection);

        var groupKeys = request.Datastores.Select(d => d.Group).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Names.Key(n!)).Distinct().ToList();
        var groupIds = found.Where(d => d.GroupId is not null).Select(d => d.GroupId!.Value).Distinct().ToList();
        var groups = await db.DatastoreGroups.AsNoTracking().Where(g => EF.Parameter(groupKeys).Contains(g.NameKey) || EF.Parameter(groupIds).Contains(g.Id)).ToListAsync(ct);
        foreach (var group in groups) state.Add(group);

        state.TeamsById = await datastores.TeamsByIdAsync(ct);
        datastores.KnowNames(found);
        return state;
    }

    public void Add(Connection connection)
    {
        ConnectionsByKey[connection.NameKey] = connection;
        ConnectionsById[connection.Id] = connection;
        datastores.Remember(connection);
    }

    public void Add(Datastore datastore)
    {
        DatastoresByKey[datastore.NameKey] = datastore;
        DatastoresById[datastore.Id] = datastore;
        datastores.Remember(datastore);
    }

    public void Add(DatastoreGroup group)
    {
        GroupsByKey[group.NameKey] = group;
        GroupsById[group.Id] = group;
        datastores.Remember(group);
    }

    public string? ConnectionName(int id) => ConnectionsById.GetValueOrDefault(id)?.Name;

    public string? DatastoreName(int? id) => id is int i ? DatastoresById.GetValueOrDefault(i)?.Name : null;

    public string? GroupName(int? id) => id is int i ? GroupsById.GetValueOrDefault(i)?.Name : null;

    public IEnumerable<string> TeamNames(Datastore datastore) =>
        datastore.Teams.Select(t => TeamsById.TryGetValue(t.TeamId, out var team) ? team.Name : $"#{t.TeamId}");
}
