namespace Quarry.Server.Quality;

/// <summary>
/// The container a check's <c>ref_container</c> (and <c>ref_datastore</c>) names. Both containers are read by one
/// statement, so the other datastore must be on the same connection and, where the connector has databases, in the
/// same database; a datastore anywhere else is refused with a message saying so. A check is validated against it when
/// it is created or changed, and a scan resolves it again (the other datastore may have moved since).
/// </summary>
public static class CheckReferences
{
    public sealed record Resolved(Datastore Datastore, Container Container);

    /// <summary>The datastore <paramref name="name"/> names (the check's own when null), or why it can't be read alongside <paramref name="home"/>.</summary>
    public static async Task<(Datastore? Found, string? Problem)> DatastoreAsync(QuarryDb db, Datastore home, string? name, CancellationToken ct)
    {
        if (name is null || Names.Key(name) == home.NameKey) return (home, null);
        var other = await db.Datastores.AsNoTracking().Include(d => d.Connection).FirstOrDefaultAsync(d => d.NameKey == Names.Key(name), ct);
        if (other is null) return (null, $"no datastore is named '{name}'.");
        if (other.ConnectionId != home.ConnectionId)
            return (null, $"datastore '{other.Name}' is on another connection than this check's datastore '{home.Name}'. One statement reads both containers, "
                + "so they must share a connection: give a datastore of the same connection, or leave ref_datastore out.");
        var homeDatabase = home.Database ?? home.Connection?.Database;
        var otherDatabase = other.Database ?? other.Connection?.Database;
        if (!string.Equals(homeDatabase, otherDatabase, StringComparison.Ordinal))
            return (null, $"datastore '{other.Name}' reads database '{otherDatabase}', and this check's datastore '{home.Name}' reads '{homeDatabase}'. "
                + "One statement reads both containers, so they must be in the same database.");
        return (other, null);
    }

    /// <summary>The referenced container, or the problem keyed by the property it is about.</summary>
    public static async Task<(Resolved? Found, string Key, string? Problem)> ResolveAsync(QuarryDb db, Datastore home, IReadOnlyDictionary<string, JsonElement> properties,
        CancellationToken ct)
    {
        var (datastore, problem) = await DatastoreAsync(db, home, ContainerRules.Text(properties, "ref_datastore"), ct);
        if (datastore is null) return (null, "properties.ref_datastore", problem);
        var name = ContainerRules.Text(properties, "ref_container") ?? "";
        var candidates = await db.Containers.AsNoTracking().Where(c => c.DatastoreId == datastore.Id && !c.Removed && c.Name.ToLower() == name.ToLower()).ToListAsync(ct);
        var container = candidates.FirstOrDefault(c => c.Name == name) ?? (candidates.Count == 1 ? candidates[0] : null);
        if (container is null)
            return (null, "properties.ref_container", $"datastore '{datastore.Name}' has no container named '{name}'. Sync that datastore, or check the name.");
        return (new Resolved(datastore, container), "", null);
    }

    /// <summary>Adds an error for a reference that does not resolve, or a <c>ref_field</c> the referenced container does not have.</summary>
    public static async Task ValidateAsync(QuarryDb db, Container container, RuleDefinition rule, IReadOnlyDictionary<string, JsonElement> properties,
        IDictionary<string, List<string>> errors, CancellationToken ct)
    {
        if (!ContainerRules.References(rule.Name) || errors.Keys.Any(k => k.StartsWith("properties.ref_", StringComparison.Ordinal))) return;
        var home = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == container.DatastoreId, ct);
        var (found, key, problem) = await ResolveAsync(db, home, properties, ct);
        if (found is null)
        {
            CheckRules.Add(errors, key, problem!);
            return;
        }
        if (ContainerRules.Text(properties, "ref_field") is { } field)
            (await CatalogFields.ForAsync(db, found.Container.Id, ct)).Require([field], "properties.ref_field", found.Container.Name, errors);
    }
}
