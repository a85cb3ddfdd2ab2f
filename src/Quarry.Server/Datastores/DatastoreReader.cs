using Quarry.Server.Operations;

namespace Quarry.Server.Datastores;

/// <summary>Reads datastores as API responses: a few set-based queries per page, never one per datastore.</summary>
public static class DatastoreReader
{
    public static async Task<List<DatastoreDto>> ReadAsync(QuarryDb db, IQueryable<Datastore> page, CancellationToken ct)
    {
        var datastores = await page
            .Include(d => d.Teams).ThenInclude(t => t.Team)
            .Include(d => d.Tags)
            .Include(d => d.Group)
            .AsSplitQuery()
            .AsNoTracking()
            .ToListAsync(ct);
        if (datastores.Count == 0) return [];

        // Only the names of what a datastore refers to: whole connection rows would bring their encrypted secrets
        // along, and whole enrichment datastore rows everything else, for a {id, name} in the response.
        var connectionIds = datastores.Select(d => d.ConnectionId).Distinct().ToList();
        var connections = await db.Connections.AsNoTracking().Where(c => connectionIds.Contains(c.Id))
            .Select(c => new ConnectionRef(c.Id, c.Name, c.Type)).ToDictionaryAsync(c => c.Id, ct);
        var enrichmentIds = datastores.Where(d => d.EnrichmentDatastoreId is not null).Select(d => d.EnrichmentDatastoreId!.Value).Distinct().ToList();
        var enrichments = enrichmentIds.Count == 0 ? [] : await db.Datastores.AsNoTracking().Where(d => enrichmentIds.Contains(d.Id))
            .Select(d => new NamedRef(d.Id, d.Name)).ToDictionaryAsync(d => d.Id, ct);

        var ids = datastores.Select(d => d.Id).ToList();
        var latestIds = await db.Operations.AsNoTracking()
            .Where(o => ids.Contains(o.DatastoreId) && o.Type == OperationQueue.SyncType)
            .GroupBy(o => o.DatastoreId)
            .Select(g => g.Max(o => o.Id))
            .ToListAsync(ct);
        var latest = latestIds.Count == 0 ? [] : await db.Operations.AsNoTracking().Where(o => latestIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.DatastoreId, o => new SyncStatus(o.Id, o.Result, o.Message, o.StartTime, o.EndTime), ct);
        var counts = await db.Containers.AsNoTracking()
            .Where(c => ids.Contains(c.DatastoreId) && !c.Removed)
            .GroupBy(c => c.DatastoreId)
            .Select(g => new { DatastoreId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.DatastoreId, c => c.Count, ct);

        return datastores.Select(d => d.ToDto(connections[d.ConnectionId], d.EnrichmentDatastoreId is int e ? enrichments.GetValueOrDefault(e) : null,
            latest.GetValueOrDefault(d.Id), counts.GetValueOrDefault(d.Id))).ToList();
    }

    public static async Task<DatastoreDto> ReadOneAsync(QuarryDb db, int id, CancellationToken ct) =>
        (await ReadAsync(db, db.Datastores.Where(d => d.Id == id), ct)).Single();

    /// <summary>
    /// The names of the first five of <paramref name="datastores"/> by id, then "…" when there are more, or null when
    /// there are none: what a refused delete names as standing in its way.
    /// </summary>
    public static async Task<string?> FirstNamesAsync(IQueryable<Datastore> datastores, CancellationToken ct)
    {
        var names = await datastores.OrderBy(d => d.Id).Select(d => d.Name).Take(6).ToListAsync(ct);
        return names.Count == 0 ? null : string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : "");
    }

    public static DatastoreDto ToDto(this Datastore d, ConnectionRef connection, NamedRef? enrichment, SyncStatus? latestSync, int containerCount) => new(
        d.Id,
        d.Name,
        d.ConnectionId,
        connection,
        d.Database,
        d.Schema,
        d.Description,
        d.Tags.Select(t => new TagRef(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList(),
        d.Teams.Select(t => new NamedRef(t.TeamId, t.Team!.Name)).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        d.GroupId,
        d.Group is null ? null : new NamedRef(d.Group.Id, d.Group.Name),
        d.EnrichmentOnly,
        d.EnrichmentDatastoreId,
        enrichment,
        d.EnrichmentPrefix,
        latestSync,
        containerCount,
        d.CatalogStale,
        d.CreatedAt,
        d.UpdatedAt,
        d.SourceRecordLimit);
}
