namespace Quarry.Server.MultiSchema;

/// <summary>
/// Lists the catalogs and schemas a connection reaches, marks the ones that datastores already read (through this or
/// another connection to the same database, enrichment datastores included),
/// and checks selected schemas before they become datastores.
/// </summary>
public sealed class SchemaDiscovery(QuarryDb db, ConnectorRegistry connectors)
{
    /// <summary>How many schema checks run at once: enough to hide latency, few enough not to exhaust the source's connection limit.</summary>
    public const int ValidationParallelism = 8;

    public async Task<IReadOnlyList<DiscoveredName>> CatalogsAsync(Connection? saved, ConnectionDetails details, CancellationToken ct)
    {
        var connector = connectors.For(details.Type);
        if (!connector.Descriptor.HasCatalogs) return [];
        var names = await CallAsync(() => connector.ListCatalogsAsync(details, ct));
        var existing = await ExistingAsync(saved, details, catalog: null, ct);
        return names.Select(n => new DiscoveredName(n, Refs(existing.Where(d => d.Database == n)))).ToList();
    }

    public async Task<IReadOnlyList<DiscoveredName>> SchemasAsync(Connection? saved, ConnectionDetails details, string? catalog, CancellationToken ct)
    {
        var connector = connectors.For(details.Type);
        catalog = CatalogFor(connector, details, catalog);
        var names = await CallAsync(() => connector.ListSchemasAsync(details, catalog, ct));
        var existing = await ExistingAsync(saved, details, catalog, ct);
        var bySchema = existing.Where(d => d.Schema is not null).ToLookup(d => d.Schema!, StringComparer.Ordinal);
        return names.Select(n => new DiscoveredName(n, Refs(bySchema[n]))).ToList();
    }

    /// <summary>Checks each schema on its own (connect, exists, readable), a few at a time; one failure never hides the others.</summary>
    public async Task<IReadOnlyList<SchemaValidation>> ValidateAsync(Connection? saved, ConnectionDetails details, ValidateRequest request, CancellationToken ct)
    {
        var schemas = RequireSchemas(request.Schemas);
        var connector = connectors.For(details.Type);
        var catalog = CatalogFor(connector, details, request.Catalog);
        var existing = (await ExistingAsync(saved, details, catalog, ct)).Where(d => d.Schema is not null)
            .ToLookup(d => d.Schema!, StringComparer.Ordinal);

        var results = new SchemaValidation[schemas.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, schemas.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ValidationParallelism, CancellationToken = ct },
            async (i, token) => results[i] = await CheckAsync(connector, details, catalog, schemas[i], existing[schemas[i]], saved, token));
        return request.NameTemplate is null ? results : await MarkTakenNamesAsync(results, NameTemplate.Parse(request.NameTemplate), ct);
    }

    /// <summary>
    /// A schema whose datastore name is already taken, or given to two schemas (names are unique regardless of case),
    /// fails here as the bulk create would fail it: one query for all the names.
    /// </summary>
    private async Task<SchemaValidation[]> MarkTakenNamesAsync(SchemaValidation[] results, NameTemplate template, CancellationToken ct)
    {
        var names = results.Select(r => template.Render(r.SchemaName).Trim()).ToArray();
        var keys = names.Select(Names.Key).Distinct().ToList();
        var taken = (await db.Datastores.AsNoTracking().Where(d => keys.Contains(d.NameKey)).Select(d => d.NameKey).ToListAsync(ct)).ToHashSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Status != SchemaValidation.Ok) continue;
            var key = Names.Key(names[i]);
            var problem = taken.Contains(key) ? $"a datastore named '{names[i]}' already exists (names are unique regardless of case); change the name template."
                : !seen.Add(key) ? $"another selected schema also gets the name '{names[i]}' (names are unique regardless of case)."
                : null;
            if (problem is not null) results[i] = results[i] with { Status = SchemaValidation.Error, Message = problem };
        }
        return results;
    }

    private static async Task<SchemaValidation> CheckAsync(
        IConnector connector, ConnectionDetails details, string? catalog, string schema, IEnumerable<Existing> existing, Connection? saved, CancellationToken ct)
    {
        try
        {
            var check = await connector.CheckSchemaAsync(details, catalog, schema, ct);
            if (!check.Ok) return new SchemaValidation(schema, SchemaValidation.Error, check.Message);
            var duplicates = existing.Select(d => d.Describe(saved)).ToList();
            var message = duplicates.Count == 0
                ? check.Message
                : $"{check.Message} Note: already read by datastore(s) {string.Join(", ", duplicates)}; creating another duplicates it.";
            return new SchemaValidation(schema, SchemaValidation.Ok, message.Trim());
        }
        catch (ConnectorException e)
        {
            return new SchemaValidation(schema, SchemaValidation.Error, e.Message);
        }
    }

    /// <summary>
    /// Connects once (to the catalog the datastores will read), so a bulk create with an unreachable host, a bad login
    /// or a missing database is refused with the connector's message before anything is written.
    /// </summary>
    public async Task EnsureReachableAsync(ConnectionDetails details, string? catalog, CancellationToken ct)
    {
        var connector = connectors.For(details.Type);
        var chosen = CatalogFor(connector, details, catalog);
        try
        {
            await connector.TestAsync(details, chosen, ct);
        }
        catch (ConnectorException e)
        {
            throw new BadRequestProblem($"Nothing was created: the connection could not be used ({e.Failure}): {e.Message}");
        }
    }

    public static List<string> RequireSchemas(List<string>? schemas)
    {
        var list = (schemas ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw InvalidInputProblem.Single("schemas", "select at least one schema.");
        return list;
    }

    /// <summary>
    /// The catalog to browse: the one asked for, else the connection's own database; none for connectors without catalogs,
    /// where a catalog given is refused rather than stored as a datastore's database that nothing reads.
    /// </summary>
    public static string? CatalogFor(IConnector connector, ConnectionDetails details, string? catalog)
    {
        if (!connector.Descriptor.HasCatalogs)
            return string.IsNullOrWhiteSpace(catalog) ? null
                : throw InvalidInputProblem.Single("catalog", $"is not used by a {details.Type} connection: it has no catalog level, its schemas are listed directly. Remove 'catalog'.");
        var chosen = string.IsNullOrWhiteSpace(catalog) ? details.Database : catalog.Trim();
        return chosen ?? throw InvalidInputProblem.Single("catalog", $"is required for a {details.Type} connection: pick one from GET /api/connections/{{id}}/catalogs.");
    }

    /// <summary>Connector failures are the user's database talking, not a server fault: a 400 with the connector's (secret-free) message.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ConnectorException e)
        {
            throw new BadRequestProblem($"Could not read the connection's catalogs/schemas ({e.Failure}): {e.Message}");
        }
    }

    private sealed record Existing(int Id, string Name, bool EnrichmentOnly, int ConnectionId, string ConnectionName, string? Database, string? Schema)
    {
        public string Describe(Connection? saved) =>
            Name + (EnrichmentOnly ? " (enrichment)" : "") + (ConnectionId == saved?.Id ? "" : $" through connection '{ConnectionName}'");
    }

    /// <summary>
    /// The datastores that already read the catalog: this connection's, enrichment datastores included (a scan writes
    /// its results there), and those of any other connection of the same type to the same host and port (or the same
    /// SQLite file), because a second connection to one database still reads the same data.
    /// </summary>
    private async Task<List<Existing>> ExistingAsync(Connection? saved, ConnectionDetails details, string? catalog, CancellationToken ct)
    {
        var savedId = saved?.Id ?? 0;
        var (type, port) = (details.Type, details.Port);
        var sameTarget = details.Host is { } host ? db.Connections.Where(c => c.Type == type && c.Host != null && c.Host.ToLower() == host.ToLowerInvariant() && c.Port == port)
            : details.Path is { } path ? db.Connections.Where(c => c.Type == type && c.Path == path)
            : db.Connections.Where(c => c.Id == savedId);
        var query = db.Datastores.AsNoTracking().Where(d => d.ConnectionId == savedId || sameTarget.Any(c => c.Id == d.ConnectionId));
        if (catalog is not null) query = query.Where(d => d.Database == catalog);
        return await query.OrderBy(d => d.Id)
            .Select(d => new Existing(d.Id, d.Name, d.EnrichmentOnly, d.ConnectionId, d.Connection!.Name, d.Database, d.Schema)).ToListAsync(ct);
    }

    private static List<ExistingDatastore> Refs(IEnumerable<Existing> existing) =>
        existing.Select(d => new ExistingDatastore(d.Id, d.Name, d.EnrichmentOnly, new NamedRef(d.ConnectionId, d.ConnectionName))).ToList();
}
