namespace Quarry.Server.Config;

/// <summary>
/// <c>prune</c>: deletes what was recorded under the config's namespace and is no longer in the config, for
/// the kinds the client asked for. Resources made by hand (no namespace) or by another namespace are never
/// candidates. Checks, computed fields and computed containers are pruned only in the datastores the config
/// names; datastores and connections across the namespace (the client asks for those only for a whole folder).
/// </summary>
internal sealed class ConfigPrune(QuarryDb db, Access.Access access)
{
    public async Task RunAsync(ConfigRequest request, string ns, QualityCatalog catalog, Func<string, string?, ConfigItem> start, bool write, CancellationToken ct)
    {
        var kinds = request.Prune.Select(k => k.Trim()).ToHashSet(StringComparer.Ordinal);
        // Only datastores the caller may read: a refused delete item would still name what they hold.
        var named = catalog.DatastoreIds;
        var ids = await (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Where(d => named.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);

        if (kinds.Contains(QualityConfigKinds.Check))
        {
            var gone = await (from q in db.QualityChecks.AsNoTracking()
                              join c in db.Containers on q.ContainerId equals c.Id
                              // An archived check is out of service already and kept for its history (its anomalies and results):
                              // it is not listed, so it is not in an exported folder either, and a prune must not delete it for that.
                              where q.ConfigNamespace == ns && ids.Contains(c.DatastoreId) && q.Status != CheckStatus.Archived
                              orderby q.Id
                              select new { q.Id, q.Rule, q.FieldsJson, q.Uid, Container = c.Name, c.DatastoreId }).ToListAsync(ct);
            var doomed = new List<int>();
            foreach (var check in gone.Where(g => !catalog.Kept(QualityConfigKinds.Check).Contains(g.Id)))
            {
                var item = Delete(start, QualityConfigKinds.Check, CheckSpec.ItemNameOf(catalog.DatastoreName(check.DatastoreId), check.Container, check.Rule, QualityJson.Strings(check.FieldsJson), check.Uid), check.Id);
                if (await AllowedAsync(item, check.DatastoreId, ct)) doomed.Add(check.Id);
            }
            if (write) await db.QualityChecks.Where(q => doomed.Contains(q.Id)).ExecuteDeleteAsync(ct);
        }

        if (kinds.Contains(QualityConfigKinds.ComputedField))
        {
            var gone = await (from f in db.ComputedFields.AsNoTracking()
                              join c in db.Containers on f.ContainerId equals c.Id
                              where f.ConfigNamespace == ns && ids.Contains(c.DatastoreId)
                              orderby f.Id
                              select new { f.Id, f.Name, f.ContainerId, Container = c.Name, c.DatastoreId }).ToListAsync(ct);
            var doomed = new List<int>();
            foreach (var field in gone.Where(g => !catalog.Kept(QualityConfigKinds.ComputedField).Contains(g.Id)))
            {
                var item = Delete(start, QualityConfigKinds.ComputedField, $"{catalog.DatastoreName(field.DatastoreId)}/{field.Container}/{field.Name}", field.Id);
                var quoted = QualityJson.Of([field.Name])[1..^1];
                if (await db.QualityChecks.AnyAsync(q => q.ContainerId == field.ContainerId && q.FieldsJson.Contains(quoted), ct))
                    item.Fail(null, $"computed field '{field.Name}' is still used by a check that stays; remove that check from the server or the config first.", ItemError.InUse);
                else if (await AllowedAsync(item, field.DatastoreId, ct)) doomed.Add(field.Id);
            }
            if (write) await db.ComputedFields.Where(f => doomed.Contains(f.Id)).ExecuteDeleteAsync(ct);
        }

        if (kinds.Contains(QualityConfigKinds.ComputedContainer))
        {
            var gone = await (from d in db.ComputedContainers.AsNoTracking()
                              join c in db.Containers on d.ContainerId equals c.Id
                              where d.ConfigNamespace == ns && ids.Contains(c.DatastoreId)
                              orderby c.Id
                              select new { c.Id, c.Name, c.DatastoreId }).ToListAsync(ct);
            var doomed = new List<int>();
            foreach (var container in gone.Where(g => !catalog.Kept(QualityConfigKinds.ComputedContainer).Contains(g.Id)))
            {
                var item = Delete(start, QualityConfigKinds.ComputedContainer, $"{catalog.DatastoreName(container.DatastoreId)}/{container.Name}", container.Id);
                var readers = await db.ComputedContainers.AnyAsync(d => (d.LeftContainerId == container.Id || d.RightContainerId == container.Id) && !doomed.Contains(d.ContainerId), ct);
                var kept = catalog.Kept(QualityConfigKinds.Check).Concat(catalog.Kept(QualityConfigKinds.ComputedField)).ToList();
                var used = await db.QualityChecks.AnyAsync(q => q.ContainerId == container.Id && kept.Contains(q.Id), ct)
                    || await db.ComputedFields.AnyAsync(f => f.ContainerId == container.Id && kept.Contains(f.Id), ct);
                if (readers || used)
                    item.Fail(null, $"computed container '{container.Name}' is still used by {(readers ? "a computed join" : "checks or computed fields in this config")}; remove those first.", ItemError.InUse);
                else if (await AllowedAsync(item, container.DatastoreId, ct)) doomed.Add(container.Id);
            }
            // The container row carries its definition, fields, computed fields and checks with it (ON DELETE CASCADE).
            if (write) await db.Containers.Where(c => doomed.Contains(c.Id)).ExecuteDeleteAsync(ct);
        }

        // The connections prune counts out exactly the datastores this prune deletes: the same list in a plan (where
        // they still exist) and in an apply, so the two can never disagree about a connection.
        var prunedDatastores = kinds.Contains(ConfigKinds.Datastore) ? await DatastoresAsync(request, ns, start, write, ct) : [];
        if (kinds.Contains(ConfigKinds.Connection)) await ConnectionsAsync(request, ns, prunedDatastores, start, write, ct);
    }

    /// <summary>Deletes (or plans to) the namespace's datastores the config no longer names; returns their ids.</summary>
    private async Task<List<int>> DatastoresAsync(ConfigRequest request, string ns, Func<string, string?, ConfigItem> start, bool write, CancellationToken ct)
    {
        var keep = request.Datastores.Where(d => !string.IsNullOrWhiteSpace(d.Name)).Select(d => Names.Key(d.Name!)).ToList();
        var gone = await (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Where(d => d.ConfigNamespace == ns && !keep.Contains(d.NameKey)).OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var goneIds = gone.Select(g => g.Id).ToList();
        var doomed = new List<int>();
        foreach (var datastore in gone)
        {
            var item = Delete(start, ConfigKinds.Datastore, datastore.Name, datastore.Id);
            if (!access.IsAtLeast(Role.Manager)) item.Fail(null, $"Deleting datastores needs the Manager role; your role is {access.Role}.", ItemError.Forbidden);
            else if (await db.Datastores.AnyAsync(d => d.EnrichmentDatastoreId == datastore.Id && !goneIds.Contains(d.Id), ct))
                item.Fail(null, $"datastore '{datastore.Name}' is the enrichment datastore of datastores that stay; unlink them first.", ItemError.InUse);
            else doomed.Add(datastore.Id);
        }
        if (!write || doomed.Count == 0) return doomed;
        await db.Datastores.Where(d => doomed.Contains(d.EnrichmentDatastoreId ?? 0)).ExecuteUpdateAsync(s => s.SetProperty(d => d.EnrichmentDatastoreId, (int?)null), ct);
        await db.Datastores.Where(d => doomed.Contains(d.Id)).ExecuteDeleteAsync(ct);
        return doomed;
    }

    private async Task ConnectionsAsync(ConfigRequest request, string ns, List<int> pruned, Func<string, string?, ConfigItem> start, bool write, CancellationToken ct)
    {
        var keep = request.Connections.Where(c => !string.IsNullOrWhiteSpace(c.Name)).Select(c => Names.Key(c.Name!)).ToList();
        var gone = await db.Connections.AsNoTracking().Where(c => c.ConfigNamespace == ns && !keep.Contains(c.NameKey)).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var doomed = new List<int>();
        foreach (var connection in gone)
        {
            var item = Delete(start, ConfigKinds.Connection, connection.Name, connection.Id);
            if (!access.IsAtLeast(Role.Manager)) item.Fail(null, $"Deleting connections needs the Manager role; your role is {access.Role}.", ItemError.Forbidden);
            else if (await db.Datastores.AnyAsync(d => d.ConnectionId == connection.Id && !pruned.Contains(d.Id), ct))
                item.Fail(null, $"connection '{connection.Name}' is still used by datastores that stay; it was kept.", ItemError.InUse);
            else doomed.Add(connection.Id);
        }
        if (write) await db.Connections.Where(c => doomed.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    private static ConfigItem Delete(Func<string, string?, ConfigItem> start, string kind, string name, int id)
    {
        var item = start(kind, name);
        item.Id = id;
        if (item.Action != ConfigActions.Failed) item.Action = ConfigActions.Delete;
        return item;
    }

    private async Task<bool> AllowedAsync(ConfigItem item, int datastoreId, CancellationToken ct)
    {
        try
        {
            await access.EnsureCanAuthorDatastoreAsync(datastoreId, ct);
            return true;
        }
        catch (ForbiddenProblem problem)
        {
            item.Fail(problem);
            return false;
        }
    }
}
