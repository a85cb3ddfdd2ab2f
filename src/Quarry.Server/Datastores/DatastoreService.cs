using Quarry.Server.Operations;

namespace Quarry.Server.Datastores;

/// <summary>Validates datastore requests, resolves names to ids, and maps entities to responses.</summary>
public sealed class DatastoreService(QuarryDb db, Access.Access access, ConnectorRegistry connectors)
{
    private Dictionary<string, Team>? _teams;

    // Batch callers (config import) tell the service what they already loaded in a few set-based queries, so
    // validating a thousand requests costs no query per request. Single-item endpoints leave these empty.
    private readonly Dictionary<int, Connection> _knownConnections = [];
    private readonly Dictionary<int, bool> _knownEnrichmentOnly = [];
    private readonly HashSet<int> _knownGroups = [];
    private Dictionary<string, int>? _knownNames;

    public void Remember(Connection connection) => _knownConnections[connection.Id] = connection;

    public void Remember(DatastoreGroup group) => _knownGroups.Add(group.Id);

    public void Remember(Datastore datastore)
    {
        _knownEnrichmentOnly[datastore.Id] = datastore.EnrichmentOnly;
        _knownNames?[datastore.NameKey] = datastore.Id;
    }

    /// <summary>
    /// Declares that <paramref name="existing"/> holds every stored datastore whose name the caller will
    /// create or rename to, so name checks need no query; the unique index still guards against races.
    /// </summary>
    public void KnowNames(IEnumerable<Datastore> existing)
    {
        _knownNames = [];
        foreach (var datastore in existing) Remember(datastore);
    }

    public async Task<Datastore> CreateAsync(DatastoreRequest request, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var name = Names.Require(request.Name);
        var connection = await ResolveConnectionAsync(request, ct);
        var datastore = new Datastore
        {
            Name = name,
            NameKey = Names.Key(name),
            ConnectionId = connection.Id,
            EnrichmentOnly = request.EnrichmentOnly ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await ApplyAsync(datastore, connection, request, ct);
        if (datastore.Teams.Count == 0) datastore.Teams.Add(new DatastoreTeam { TeamId = (await PublicTeamAsync(ct)).Id });
        await EnsureNameFreeAsync(datastore.NameKey, null, ct);
        return datastore;
    }

    /// <summary>Applies a PUT body: fields that are left out (null) keep their value.</summary>
    public async Task UpdateAsync(Datastore datastore, DatastoreRequest request, CancellationToken ct)
    {
        if (request.Name is not null)
        {
            datastore.Name = Names.Require(request.Name);
            datastore.NameKey = Names.Key(datastore.Name);
            await EnsureNameFreeAsync(datastore.NameKey, datastore.Id, ct);
        }
        var source = (datastore.ConnectionId, datastore.Database, datastore.Schema);
        // Asked before the new connection is looked up, so that a refused caller learns nothing about which connections exist.
        if (await NamesAnotherConnectionAsync(datastore, request, ct)) EnsureMayMove(datastore);
        var connection = request.ConnectionId is not null || request.ConnectionName is not null
            ? await ResolveConnectionAsync(request, ct)
            : await ConnectionByIdAsync(datastore.ConnectionId, ct)
                ?? throw InvalidInputProblem.Single("connection_id", $"no connection has id {datastore.ConnectionId}.");
        datastore.ConnectionId = connection.Id;
        if (request.EnrichmentOnly is not null && request.EnrichmentOnly != datastore.EnrichmentOnly)
            throw InvalidInputProblem.Single("enrichment_only", "cannot change after creation; create a new datastore instead.");
        await ApplyAsync(datastore, connection, request, ct);
        if ((datastore.ConnectionId, datastore.Database, datastore.Schema) != source)
        {
            EnsureMayMove(datastore);
            // The stored containers were read from the old source: nothing may rely on them until the new one is synced.
            datastore.CatalogStale = true;
        }
        if (datastore.Teams.Count == 0) datastore.Teams.Add(new DatastoreTeam { TeamId = (await PublicTeamAsync(ct)).Id });
        datastore.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>
    /// Moving a datastore to another connection, database or schema reads a different source: that is creating a
    /// datastore on it, which needs the Manager role. An Editor may change everything else about the datastore.
    /// </summary>
    private void EnsureMayMove(Datastore datastore) => access.EnsureRole(Role.Manager,
        $"Moving datastore '{datastore.Name}' to another connection, database or schema (the same as creating a datastore there)");

    private async Task<bool> NamesAnotherConnectionAsync(Datastore datastore, DatastoreRequest request, CancellationToken ct)
    {
        if (request.ConnectionId is int id) return id != datastore.ConnectionId;
        if (string.IsNullOrWhiteSpace(request.ConnectionName)) return false;
        var current = await ConnectionByIdAsync(datastore.ConnectionId, ct);
        return current is null || current.NameKey != Names.Key(request.ConnectionName);
    }

    private async Task ApplyAsync(Datastore datastore, Connection connection, DatastoreRequest request, CancellationToken ct)
    {
        // Without a catalog level (a SQLite file) a database named here would be stored and exported but never read.
        var connector = connectors.For(connection.Type).Descriptor;
        if (!connector.HasCatalogs && !string.IsNullOrWhiteSpace(request.Database))
            throw InvalidInputProblem.Single("database", $"is not used by a datastore of the {connection.Type} connection '{connection.Name}': {connector.NoCatalogReason} Remove 'database'.");
        if (request.Database is not null) datastore.Database = Blank(request.Database);
        if (request.Schema is not null) datastore.Schema = Blank(request.Schema);
        if (request.Description is not null) datastore.Description = Blank(request.Description);
        datastore.Database ??= connector.CatalogOf(null, connection.Database);
        datastore.Schema ??= connector.RequiresSchema ? null : connector.DefaultSchema;

        var errors = new Dictionary<string, string[]>();
        InputLimits.Check(request.Description?.Trim(), request.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList(), errors);
        if (connector.HasCatalogs && datastore.Database is null)
            errors["database"] = [$"is required: the {connector.DisplayName} database (catalog) this datastore reads."];
        if (connector.RequiresSchema && datastore.Schema is null)
            errors["schema"] = ["is required: the schema inside the database this datastore reads."];

        if (request.Tags is not null)
        {
            var tags = request.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim())
                .Distinct(StringComparer.Ordinal).ToList();
            datastore.Tags.RemoveAll(t => !tags.Contains(t.Name));
            foreach (var tag in tags.Where(t => datastore.Tags.All(existing => existing.Name != t)))
                datastore.Tags.Add(new DatastoreTag { DatastoreId = datastore.Id, Name = tag });
        }

        if (request.Teams is not null)
        {
            var teams = await ResolveTeamsAsync(request.Teams, ct);
            if (teams.Missing.Count > 0)
                errors["teams"] = [$"unknown team(s): {string.Join(", ", teams.Missing)}. Create them first ('quarry teams create NAME', or POST /api/teams) or use existing team names."];
            var ids = teams.Found.Select(t => t.Id).ToHashSet();
            datastore.Teams.RemoveAll(t => !ids.Contains(t.TeamId));
            foreach (var id in ids.Where(id => datastore.Teams.All(t => t.TeamId != id)))
                datastore.Teams.Add(new DatastoreTeam { DatastoreId = datastore.Id, TeamId = id });
        }

        if (request.GroupId is not null)
        {
            if (request.GroupId == 0) datastore.GroupId = null;
            else if (!_knownGroups.Contains(request.GroupId.Value) && !await db.DatastoreGroups.AnyAsync(g => g.Id == request.GroupId, ct)) errors["group_id"] = [$"no datastore group has id {request.GroupId}."];
            else datastore.GroupId = request.GroupId;
        }

        if (request.EnrichmentDatastoreId is not null)
        {
            // Unlinking drops the prefix with the link, as DELETE /api/datastores/{id}/enrichment does.
            if (request.EnrichmentDatastoreId == 0) (datastore.EnrichmentDatastoreId, datastore.EnrichmentPrefix) = (null, null);
            else if (await CheckEnrichmentTargetAsync(datastore, request.EnrichmentDatastoreId.Value, ct) is { } problem) errors["enrichment_datastore_id"] = [problem];
            else datastore.EnrichmentDatastoreId = request.EnrichmentDatastoreId;
        }
        if (request.EnrichmentPrefix is not null) datastore.EnrichmentPrefix = Blank(request.EnrichmentPrefix);
        if (datastore.EnrichmentDatastoreId is not null && datastore.EnrichmentPrefix is null)
            datastore.EnrichmentPrefix = EnrichmentPrefix.From(datastore.Name);
        if (datastore.EnrichmentPrefix is { } prefix && EnrichmentPrefix.Problem(prefix) is { } prefixProblem)
            errors["enrichment_prefix"] = [prefixProblem];

        if (request.SourceRecordLimit is int limit)
        {
            if (limit is < 0 or > DatastoreRequest.MaxSourceRecordLimit)
                errors["source_record_limit"] = [$"must be between 0 and {DatastoreRequest.MaxSourceRecordLimit}: the failing rows a scan keeps per failed check (0 keeps none)."];
            else datastore.SourceRecordLimit = limit;
        }

        if (errors.Count > 0) throw new InvalidInputProblem(errors);
    }

    /// <summary>Why <paramref name="targetId"/> cannot be <paramref name="source"/>'s enrichment datastore, or null when it can.</summary>
    public async Task<string?> CheckEnrichmentTargetAsync(Datastore source, int targetId, CancellationToken ct)
    {
        if (source.EnrichmentOnly) return "an enrichment datastore cannot itself link to an enrichment datastore.";
        bool? enrichmentOnly = _knownEnrichmentOnly.TryGetValue(targetId, out var known)
            ? known
            : await db.Datastores.AsNoTracking().Where(d => d.Id == targetId).Select(d => (bool?)d.EnrichmentOnly).FirstOrDefaultAsync(ct);
        // Quarry writes results into the enrichment datastore: linking one needs to be allowed to see it. One the caller
        // may not see answers as one that does not exist, so that trying ids tells nothing.
        if (enrichmentOnly is null || !await access.CanReadDatastoreAsync(targetId, ct)) return $"no datastore has id {targetId}.";
        if (enrichmentOnly == false) return $"datastore {targetId} is not an enrichment datastore (enrichment_only: true).";
        return null;
    }

    public async Task<Connection> ResolveConnectionAsync(DatastoreRequest request, CancellationToken ct)
    {
        if (request.ConnectionId is int id)
            return await ConnectionByIdAsync(id, ct)
                ?? throw InvalidInputProblem.Single("connection_id", $"no connection has id {id}.");
        if (!string.IsNullOrWhiteSpace(request.ConnectionName))
            return await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.NameKey == Names.Key(request.ConnectionName), ct)
                ?? throw InvalidInputProblem.Single("connection_name", $"no connection is named '{request.ConnectionName}'. Create it first.");
        throw InvalidInputProblem.Single("connection_id", "is required: the id of the connection this datastore uses.");
    }

    private async Task<Connection?> ConnectionByIdAsync(int id, CancellationToken ct) =>
        _knownConnections.TryGetValue(id, out var known) ? known : await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>Every team by id, loaded once per scope.</summary>
    public async Task<IReadOnlyDictionary<int, Team>> TeamsByIdAsync(CancellationToken ct)
    {
        await ResolveTeamsAsync([], ct);
        return _teams!.Values.ToDictionary(t => t.Id);
    }

    public async Task<(List<Team> Found, List<string> Missing)> ResolveTeamsAsync(IEnumerable<string> names, CancellationToken ct)
    {
        _teams ??= await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.NameKey, ct);
        var found = new List<Team>();
        var missing = new List<string>();
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (_teams.TryGetValue(Names.Key(name), out var team)) found.Add(team);
            else missing.Add(name.Trim());
        }
        return (found, missing);
    }

    public async Task<Team> PublicTeamAsync(CancellationToken ct)
    {
        var (found, _) = await ResolveTeamsAsync([Team.PublicName], ct);
        return found.Single();
    }

    private async Task EnsureNameFreeAsync(string nameKey, int? exceptId, CancellationToken ct)
    {
        var taken = _knownNames is null
            ? await db.Datastores.AnyAsync(d => d.NameKey == nameKey && d.Id != exceptId, ct)
            : _knownNames.TryGetValue(nameKey, out var id) && id != exceptId;
        if (taken)
            throw new ConflictProblem($"A datastore named '{nameKey}' already exists (names are unique regardless of case). Choose another name or update that datastore.");
    }

    /// <summary>Queues a first sync when the request asks for one.</summary>
    public void TriggerSyncIfAsked(Datastore datastore, DatastoreRequest request, int? userId)
    {
        if (request.StartSync && !datastore.EnrichmentOnly) OperationQueue.EnqueueSync(db, datastore.Id, userId);
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
