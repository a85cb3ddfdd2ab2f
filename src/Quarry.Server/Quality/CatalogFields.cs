namespace Quarry.Server.Quality;

/// <summary>
/// What checks and computed fields may name in a container: its synced fields that are still present plus its
/// computed fields. A container nothing has cataloged yet (no fields at all) accepts any name, because the
/// names can only be verified once a sync has seen the table.
/// </summary>
public sealed record KnownFields(bool Cataloged, IReadOnlyList<string> Names, IReadOnlyDictionary<string, Field> Synced)
{
    private readonly HashSet<string> _names = new(Names, StringComparer.Ordinal);

    public bool Contains(string name) => !Cataloged || _names.Contains(name);

    /// <summary>Adds an error for each name the container does not have, with the closest match when only case differs.</summary>
    public void Require(IEnumerable<string> names, string key, string containerName, IDictionary<string, List<string>> errors)
    {
        foreach (var name in names.Where(n => !Contains(n)))
        {
            var cased = Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            var hint = cased is not null
                ? $" Did you mean '{cased}'? Field names are case-sensitive."
                : $" Its fields are: {string.Join(", ", Names.Take(20))}{(Names.Count > 20 ? ", …" : "")}.";
            CheckRules.Add(errors, key, $"'{name}' is not a field of container '{containerName}'.{hint}");
        }
    }
}

public static class CatalogFields
{
    public static async Task<KnownFields> ForAsync(QuarryDb db, int containerId, CancellationToken ct, int? exceptComputedFieldId = null)
    {
        var synced = await db.Fields.AsNoTracking().Where(f => f.ContainerId == containerId && !f.Removed)
            .OrderBy(f => f.Ordinal).ToListAsync(ct);
        var computed = await db.ComputedFields.AsNoTracking()
            .Where(f => f.ContainerId == containerId && f.Id != (exceptComputedFieldId ?? 0))
            .OrderBy(f => f.Id).Select(f => f.Name).ToListAsync(ct);
        // A computed table's fields are what its last profile found its query returning, not a catalog: its query may
        // have changed since, so any name is accepted, as before it was profiled.
        var cataloged = (synced.Count > 0 || await db.Fields.AnyAsync(f => f.ContainerId == containerId, ct))
            && !await db.Containers.AnyAsync(c => c.Id == containerId && c.ContainerType == ComputedKinds.Table, ct);
        return new KnownFields(cataloged, [.. synced.Select(f => f.Name), .. computed],
            synced.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));
    }

    /// <summary>
    /// Refuses to validate anything against the catalog of a datastore that was moved to another source since it
    /// was read: its containers and fields describe the old source, so a check or computed field could name tables
    /// Quarry never read from the new one.
    /// </summary>
    private static async Task EnsureCatalogCurrentAsync(QuarryDb db, int datastoreId, CancellationToken ct)
    {
        var stale = await db.Datastores.AsNoTracking().Where(d => d.Id == datastoreId && d.CatalogStale).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (stale is not null) throw new ConflictProblem(StaleCatalog(stale, datastoreId));
    }

    /// <summary>
    /// What writing a check, computed field or computed container of a datastore needs: Author in one of its teams,
    /// then a catalog that still describes its source.
    /// </summary>
    public static async Task EnsureCanAuthorAsync(QuarryDb db, Access.Access access, int datastoreId, CancellationToken ct)
    {
        await access.EnsureCanAuthorDatastoreAsync(datastoreId, ct);
        await EnsureCatalogCurrentAsync(db, datastoreId, ct);
    }

    /// <summary>The container a new check or computed field goes in (see <see cref="ResolveAsync"/>), once the caller may author it.</summary>
    public static async Task<Container> ResolveForAuthoringAsync(
        QuarryDb db, Access.Access access, int? containerId, int? datastoreId, string? containerName, CancellationToken ct)
    {
        var container = await ResolveAsync(db, access, containerId, datastoreId, containerName, ct);
        await EnsureCanAuthorAsync(db, access, container.DatastoreId, ct);
        return container;
    }

    /// <summary>Whether an update's <c>container_id</c> or <c>container_name</c> names another container than <paramref name="container"/>.</summary>
    public static bool NamesOtherContainer(int? containerId, string? containerName, Container container) =>
        (containerId is int id && id != container.Id) || (containerName is { } name && name.Trim() != container.Name);

    public static string StaleCatalog(string datastore, int datastoreId) =>
        $"datastore '{datastore}' was moved to another source, and its catalog still describes the old one; sync it first: quarry operations sync --datastore-id {datastoreId} --wait";

    /// <summary>
    /// The container a request names, by <c>container_id</c> or by <c>datastore_id</c> + <c>container_name</c>.
    /// A name is matched exactly first, then regardless of case when that is unambiguous. A container of a datastore
    /// the caller may not see answers exactly as one that does not exist, so that guessing names or ids tells nothing.
    /// </summary>
    public static async Task<Container> ResolveAsync(QuarryDb db, Access.Access access, int? containerId, int? datastoreId, string? containerName, CancellationToken ct)
    {
        if (containerId is int id)
        {
            var container = await db.Containers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            if (container is null || !await access.CanReadDatastoreAsync(container.DatastoreId, ct))
                throw InvalidInputProblem.Single("container_id", $"no container has id {id}.");
            return container;
        }
        if (datastoreId is int datastore && !string.IsNullOrWhiteSpace(containerName))
        {
            var name = containerName.Trim();
            var candidates = await access.CanReadDatastoreAsync(datastore, ct)
                ? await db.Containers.AsNoTracking().Where(c => c.DatastoreId == datastore && c.Name.ToLower() == name.ToLower()).ToListAsync(ct)
                : [];
            return candidates.FirstOrDefault(c => c.Name == name)
                ?? (candidates.Count == 1 ? candidates[0] : null)
                ?? throw InvalidInputProblem.Single("container_name", $"datastore {datastore} has no container named '{name}'. Sync the datastore, or check the name.");
        }
        throw InvalidInputProblem.Single("container_id", "is required: the id of the container (or give datastore_id and container_name).");
    }

    public static async Task<Dictionary<int, ContainerRef>> RefsAsync(QuarryDb db, IEnumerable<int> containerIds, CancellationToken ct)
    {
        var ids = containerIds.Distinct().ToList();
        return await (from c in db.Containers.AsNoTracking()
                      join d in db.Datastores.AsNoTracking() on c.DatastoreId equals d.Id
                      where ids.Contains(c.Id)
                      select new ContainerRef(c.Id, c.Name, d.Id, d.Name)).ToDictionaryAsync(r => r.Id, ct);
    }

    /// <summary>The container and datastore a computed field or check hangs on (it always exists: deleting it cascades).</summary>
    public static async Task<ContainerRef> RefAsync(QuarryDb db, int containerId, CancellationToken ct) =>
        (await RefsAsync(db, [containerId], ct))[containerId];

    /// <summary>Trims names, drops blanks, and reports duplicates under <paramref name="key"/>.</summary>
    public static List<string> CleanNames(IEnumerable<string>? names, string key, IDictionary<string, List<string>> errors) =>
        CheckValidation.CleanNames(names, key, errors);

    public static InvalidInputProblem Problem(IDictionary<string, List<string>> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
