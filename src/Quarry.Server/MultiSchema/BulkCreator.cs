using Quarry.Server.Operations;

namespace Quarry.Server.MultiSchema;

/// <summary>
/// Creates one datastore per selected schema. Request-wide problems (template, teams, group, enrichment
/// target) refuse the whole request before anything is written; per-schema problems (a taken name) fail
/// that schema alone. The work is a handful of queries and one SaveChanges, whatever the number of schemas.
/// </summary>
public sealed class BulkCreator(QuarryDb db, DatastoreService datastores, ConnectorRegistry connectors)
{
    public async Task<BulkCreateResponse> CreateAsync(Connection connection, BulkCreateRequest request, int userId, CancellationToken ct)
    {
        var template = NameTemplate.Parse(request.NameTemplate);
        var schemas = SchemaDiscovery.RequireSchemas(request.Schemas);
        var catalog = CatalogFor(connection, request.Catalog);
        var teamIds = await ResolveTeamsAsync(request.Teams, ct);
        var enrichment = await ResolveEnrichmentAsync(request.EnrichmentDatastoreId, ct);
        var tags = (request.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var group = await ResolveGroupAsync(request, ct);

        var names = schemas.Select(s => (Schema: s, Name: template.Render(s))).ToList();
        var keys = names.Select(n => Names.Key(n.Name)).Distinct().ToList();
        var taken = (await db.Datastores.AsNoTracking().Where(d => keys.Contains(d.NameKey)).Select(d => d.NameKey).ToListAsync(ct)).ToHashSet();

        var errors = new List<BulkError>();
        var created = new List<Datastore>();
        var now = DateTime.UtcNow;
        foreach (var (schema, name) in names)
        {
            if (NameProblem(name) is { } problem)
            {
                errors.Add(new BulkError(schema, problem));
                continue;
            }
            var key = Names.Key(name);
            if (!taken.Add(key))
            {
                errors.Add(new BulkError(schema, $"A datastore named '{name.Trim()}' already exists (names are unique regardless of case); change the name template or rename that datastore."));
                continue;
            }
            var datastore = new Datastore
            {
                Name = name.Trim(),
                NameKey = key,
                ConnectionId = connection.Id,
                Database = catalog,
                Schema = schema,
                Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
                Group = group,
                EnrichmentDatastoreId = enrichment?.Id,
                EnrichmentPrefix = enrichment is null ? null : EnrichmentPrefix.Unique(EnrichmentPrefix.From(name), enrichment.TakenPrefixes),
                CreatedAt = now,
                UpdatedAt = now,
                Teams = teamIds.Select(id => new DatastoreTeam { TeamId = id }).ToList(),
                Tags = tags.Select(t => new DatastoreTag { Name = t }).ToList(),
            };
            created.Add(datastore);
        }

        db.Datastores.AddRange(created);
        await db.SaveChangesAsync(ct);
        if (request.StartSync)
        {
            foreach (var datastore in created) OperationQueue.EnqueueSync(db, datastore.Id, userId);
            await db.SaveChangesAsync(ct);
        }
        return new BulkCreateResponse(connection.Id, created.Select(d => d.Id).ToList(), errors);
    }

    private static string? NameProblem(string name) =>
        string.IsNullOrWhiteSpace(name) ? "the name template gives an empty name for this schema."
        : name.Trim().Length > 200 ? $"the generated name '{name.Trim()[..40]}…' is longer than 200 characters; shorten the name template."
        : null;

    private string? CatalogFor(Connection connection, string? catalog)
    {
        if (!connectors.For(connection.Type).Descriptor.HasCatalogs) return string.IsNullOrWhiteSpace(catalog) ? null : catalog.Trim();
        var chosen = string.IsNullOrWhiteSpace(catalog) ? connection.Database : catalog.Trim();
        return chosen ?? throw InvalidInputProblem.Single("catalog", "is required for a {connection.Type} connection: the database the schemas live in.");
    }

    private async Task<List<int>> ResolveTeamsAsync(List<string>? names, CancellationToken ct)
    {
        if (names is null || names.All(string.IsNullOrWhiteSpace))
            throw InvalidInputProblem.Single("teams", "is required: one or more team names every new datastore belongs to.");
        var (found, missing) = await datastores.ResolveTeamsAsync(names, ct);
        if (missing.Count > 0)
            throw InvalidInputProblem.Single("teams", $"unknown team(s): {string.Join(", ", missing)}. Create them first ('quarry teams create NAME', or POST /api/teams) or use existing team names.");
        return found.Select(t => t.Id).ToList();
    }

    /// <summary>An existing group by id, an existing group by name, or a new group with that name (saved with the datastores).</summary>
    private async Task<DatastoreGroup?> ResolveGroupAsync(BulkCreateRequest request, CancellationToken ct)
    {
        int? id = request.GroupId is > 0 ? request.GroupId : null;
        var name = request.GroupName;
        if (request.Group is { } group)
        {
            if (group.ValueKind == JsonValueKind.Number && group.TryGetInt32(out var number)) id = number;
            else if (group.ValueKind == JsonValueKind.String && int.TryParse(group.GetString(), out var parsed)) id = parsed;
            else if (group.ValueKind == JsonValueKind.String) name = group.GetString();
            else if (group.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                throw InvalidInputProblem.Single("group", "must be a datastore group's id or a name.");
        }
        if (id is int groupId)
            return await db.DatastoreGroups.FirstOrDefaultAsync(g => g.Id == groupId, ct)
                ?? throw InvalidInputProblem.Single("group", $"no datastore group has id {groupId}; give a name to create a new group.");
        if (string.IsNullOrWhiteSpace(name)) return null;
        var trimmed = Names.Require(name, "group");
        var key = Names.Key(trimmed);
        return await db.DatastoreGroups.FirstOrDefaultAsync(g => g.NameKey == key, ct)
            ?? new DatastoreGroup { Name = trimmed, NameKey = key, CreatedAt = DateTime.UtcNow };
    }

    private sealed record EnrichmentTarget(int Id, HashSet<string> TakenPrefixes);

    private async Task<EnrichmentTarget?> ResolveEnrichmentAsync(int? id, CancellationToken ct)
    {
        if (id is not int targetId || targetId == 0) return null;
        var target = await db.Datastores.AsNoTracking().Where(d => d.Id == targetId).Select(d => new { d.EnrichmentOnly }).FirstOrDefaultAsync(ct)
            ?? throw InvalidInputProblem.Single("enrichment_datastore_id", $"no datastore has id {targetId}.");
        if (!target.EnrichmentOnly)
            throw InvalidInputProblem.Single("enrichment_datastore_id", $"datastore {targetId} is not an enrichment datastore (enrichment_only: true).");
        var prefixes = await db.Datastores.AsNoTracking()
            .Where(d => d.EnrichmentDatastoreId == targetId && d.EnrichmentPrefix != null)
            .Select(d => d.EnrichmentPrefix!).ToListAsync(ct);
        return new EnrichmentTarget(targetId, prefixes.ToHashSet(StringComparer.Ordinal));
    }
}
