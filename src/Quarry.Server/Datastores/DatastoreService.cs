using Microsoft.EntityFrameworkCore;
using Quarry.Server.Access;
using Quarry.Server.Connections;
using Quarry.Server.Errors;
using Quarry.Server.Operations;
using Quarry.Server.Store;

namespace Quarry.Server.Datastores;

/// <summary>Validates datastore requests, resolves names to ids, and maps entities to responses.</summary>
public sealed class DatastoreService(QuarryDb db)
{
    private Dictionary<string, Team>? _teams;

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
        var connection = request.ConnectionId is not null || request.ConnectionName is not null
            ? await ResolveConnectionAsync(request, ct)
            : await db.Connections.AsNoTracking().FirstAsync(c => c.Id == datastore.ConnectionId, ct);
        datastore.ConnectionId = connection.Id;
        if (request.EnrichmentOnly is not null && request.EnrichmentOnly != datastore.EnrichmentOnly)
            throw InvalidInputProblem.Single("enrichment_only", "cannot change after creation; create a new datastore instead.");
        await ApplyAsync(datastore, connection, request, ct);
        if (datastore.Teams.Count == 0) datastore.Teams.Add(new DatastoreTeam { TeamId = (await PublicTeamAsync(ct)).Id });
        datastore.UpdatedAt = DateTime.UtcNow;
    }

    private async Task ApplyAsync(Datastore datastore, Connection connection, DatastoreRequest request, CancellationToken ct)
    {
        if (request.Database is not null) datastore.Database = Blank(request.Database);
        if (request.Schema is not null) datastore.Schema = Blank(request.Schema);
        if (request.Description is not null) datastore.Description = Blank(request.Description);
        datastore.Database ??= connection.Type == "postgresql" ? connection.Database : null;
        datastore.Schema ??= connection.Type == "sqlite" ? "main" : null;

        var errors = new Dictionary<string, string[]>();
        if (connection.Type == "postgresql" && datastore.Database is null)
            errors["database"] = ["is required: the PostgreSQL database (catalog) this datastore reads."];
        if (connection.Type == "postgresql" && datastore.Schema is null)
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
                errors["teams"] = [$"unknown team(s): {string.Join(", ", teams.Missing)}. Create them first (POST /api/teams) or use existing team names."];
            var ids = teams.Found.Select(t => t.Id).ToHashSet();
            datastore.Teams.RemoveAll(t => !ids.Contains(t.TeamId));
            foreach (var id in ids.Where(id => datastore.Teams.All(t => t.TeamId != id)))
                datastore.Teams.Add(new DatastoreTeam { DatastoreId = datastore.Id, TeamId = id });
        }

        if (request.GroupId is not null)
        {
            if (request.GroupId == 0) datastore.GroupId = null;
            else if (!await db.DatastoreGroups.AnyAsync(g => g.Id == request.GroupId, ct)) errors["group_id"] = [$"no datastore group has id {request.GroupId}."];
            else datastore.GroupId = request.GroupId;
        }

        if (request.EnrichmentDatastoreId is not null)
        {
            if (request.EnrichmentDatastoreId == 0) datastore.EnrichmentDatastoreId = null;
            else if (await CheckEnrichmentTargetAsync(datastore, request.EnrichmentDatastoreId.Value, ct) is { } problem) errors["enrichment_datastore_id"] = [problem];
            else datastore.EnrichmentDatastoreId = request.EnrichmentDatastoreId;
        }
        if (request.EnrichmentPrefix is not null) datastore.EnrichmentPrefix = Blank(request.EnrichmentPrefix);
        if (datastore.EnrichmentDatastoreId is not null && datastore.EnrichmentPrefix is null)
            datastore.EnrichmentPrefix = EnrichmentPrefix.From(datastore.Name);
        if (datastore.EnrichmentPrefix is { Length: > EnrichmentPrefix.MaxLength })
            errors["enrichment_prefix"] = [$"must be at most {EnrichmentPrefix.MaxLength} characters."];

        if (errors.Count > 0) throw new InvalidInputProblem(errors);
    }

    /// <summary>Why <paramref name="targetId"/> cannot be <paramref name="source"/>'s enrichment datastore, or null when it can.</summary>
    public async Task<string?> CheckEnrichmentTargetAsync(Datastore source, int targetId, CancellationToken ct)
    {
        if (source.EnrichmentOnly) return "an enrichment datastore cannot itself link to an enrichment datastore.";
        var target = await db.Datastores.AsNoTracking().Where(d => d.Id == targetId).Select(d => new { d.EnrichmentOnly }).FirstOrDefaultAsync(ct);
        if (target is null) return $"no datastore has id {targetId}.";
        if (!target.EnrichmentOnly) return $"datastore {targetId} is not an enrichment datastore (enrichment_only: true).";
        return null;
    }

    public async Task<Connection> ResolveConnectionAsync(DatastoreRequest request, CancellationToken ct)
    {
        if (request.ConnectionId is int id)
            return await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct)
                ?? throw InvalidInputProblem.Single("connection_id", $"no connection has id {id}.");
        if (!string.IsNullOrWhiteSpace(request.ConnectionName))
            return await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.NameKey == Names.Key(request.ConnectionName), ct)
                ?? throw InvalidInputProblem.Single("connection_name", $"no connection is named '{request.ConnectionName}'. Create it first.");
        throw InvalidInputProblem.Single("connection_id", "is required: the id of the connection this datastore uses.");
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
        if (await db.Datastores.AnyAsync(d => d.NameKey == nameKey && d.Id != exceptId, ct))
            throw new ConflictProblem($"A datastore named '{nameKey}' already exists (names are unique regardless of case). Choose another name or update that datastore.");
    }

    /// <summary>Queues a first sync when the request asks for one.</summary>
    public void TriggerSyncIfAsked(Datastore datastore, DatastoreRequest request, int? userId)
    {
        if (request.StartSync && !datastore.EnrichmentOnly) OperationQueue.EnqueueSync(db, datastore.Id, userId);
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
