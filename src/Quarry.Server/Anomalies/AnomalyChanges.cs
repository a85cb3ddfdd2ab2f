namespace Quarry.Server.Anomalies;

/// <summary>
/// Finding anomalies the caller may see and changing them. An anomaly of a datastore outside the caller's teams
/// answers 404 as a missing one; changing its status, description, or deleting it needs Author or Editor in one of
/// the datastore's teams (Managers and Admins may change any). A bulk change checks every item first and then
/// writes them all in one transaction, or writes nothing.
/// </summary>
public sealed class AnomalyChanges(QuarryDb db, Access.Access access)
{
    /// <summary>At most this many items in one PATCH or DELETE of /api/anomalies.</summary>
    public const int MaxBulkItems = 10_000;

    private const string What = "anomaly";

    /// <summary>The anomaly (tracked, to be changed, or not), or a 404 when it does not exist or the caller does not see its datastore.</summary>
    public async Task<Anomaly> FindVisibleAsync(int id, bool tracked, CancellationToken ct)
    {
        var anomalies = tracked ? db.Anomalies : db.Anomalies.AsNoTracking();
        var anomaly = await anomalies.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw NotFoundProblem.For(What, id);
        await access.EnsureSeesAsync(anomaly.DatastoreId, NotFoundProblem.For(What, id), ct);
        return anomaly;
    }

    /// <summary>The anomaly, tracked, once the caller may change it.</summary>
    public async Task<Anomaly> FindChangeableAsync(int id, CancellationToken ct)
    {
        var anomaly = await FindVisibleAsync(id, tracked: true, ct);
        await EnsureCanChangeAsync(anomaly.DatastoreId, ct);
        return anomaly;
    }

    /// <summary>
    /// Every anomaly <paramref name="ids"/> names, tracked, once the caller may change each: a 404 lists the ids that
    /// do not exist or are out of sight, a 403 the first datastore the caller may only read.
    /// </summary>
    public async Task<Dictionary<int, Anomaly>> FindAllChangeableAsync(IReadOnlyList<int> ids, CancellationToken ct)
    {
        var found = await db.Anomalies.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var visible = new HashSet<int>();
        foreach (var datastore in found.Values.Select(a => a.DatastoreId).Distinct())
            if (await access.CanReadDatastoreAsync(datastore, ct)) visible.Add(datastore);
        var missing = ids.Where(id => !found.TryGetValue(id, out var a) || !visible.Contains(a.DatastoreId)).ToList();
        if (missing.Count > 0)
            throw new NotFoundProblem($"No anomaly has id {string.Join(", ", missing)}; nothing was changed.");
        foreach (var datastore in visible) await EnsureCanChangeAsync(datastore, ct);
        return found;
    }

    public void Update(Anomaly anomaly, string? status, string? description, DateTime now)
    {
        if (description is not null) anomaly.Description = description.Length == 0 ? null : description;
        if (status is not null && status != anomaly.Status)
        {
            anomaly.Status = status;
            anomaly.StatusChangedAt = now;
        }
        anomaly.UpdatedAt = now;
    }

    /// <summary>
    /// Refuses to set a closed anomaly back to Active or Acknowledged while another anomaly of the same check is open (a
    /// later scan opened it once this one was closed): a check has at most one open anomaly, the one scans update.
    /// <paramref name="changes"/> are the anomalies of one request with the status each gets (null: unchanged).
    /// </summary>
    public async Task EnsureOneOpenPerCheckAsync(IReadOnlyList<(Anomaly Anomaly, string? Status)> changes, CancellationToken ct)
    {
        var reopened = changes.Where(c => c.Status is { } s && AnomalyStatus.Open.Contains(s) && !AnomalyStatus.Open.Contains(c.Anomaly.Status) && c.Anomaly.CheckId is not null)
            .Select(c => c.Anomaly).ToList();
        if (reopened.Count == 0) return;
        var checkIds = reopened.Select(a => a.CheckId!.Value).Distinct().ToList();
        var changed = changes.Select(c => c.Anomaly.Id).ToList();
        var openOthers = await db.Anomalies.AsNoTracking()
            .Where(a => a.CheckId != null && checkIds.Contains(a.CheckId.Value) && !changed.Contains(a.Id) && AnomalyStatus.Open.Contains(a.Status))
            .Select(a => new { a.Id, CheckId = a.CheckId!.Value }).ToListAsync(ct);
        var openAfter = openOthers.Select(a => (a.Id, a.CheckId))
            .Concat(changes.Where(c => c.Anomaly.CheckId is not null && AnomalyStatus.Open.Contains(c.Status ?? c.Anomaly.Status)).Select(c => (c.Anomaly.Id, CheckId: c.Anomaly.CheckId!.Value)))
            .ToList();
        foreach (var anomaly in reopened)
        {
            var other = openAfter.Where(o => o.CheckId == anomaly.CheckId && o.Id != anomaly.Id).Select(o => (int?)o.Id).Min();
            if (other is int id)
                throw new ConflictProblem($"Anomaly {anomaly.Id} can't be set back to an open status: anomaly {id} is already open for the same check ({anomaly.CheckId}), "
                    + "and scans update that one. Triage anomaly " + id + " instead, or close it first; nothing was changed.");
        }
    }

    /// <summary>The status and description of one request, checked: null where the request leaves them as they are.</summary>
    public static (string? Status, string? Description) Read(string? status, string? description, string prefix = "")
    {
        var parsed = status is null ? null : AnomalyStatuses.Parse(status, prefix + "status");
        if (InputLimits.TooLong(description, InputLimits.DescriptionLength) is { } tooLong)
            throw InvalidInputProblem.Single(prefix + "description", tooLong);
        return (parsed, description?.Trim());
    }

    /// <summary>The ids of a bulk body: each given once, at most <see cref="MaxBulkItems"/>.</summary>
    public static List<int> Ids<T>(IReadOnlyList<T>? items, Func<T, int?> id)
    {
        if (items is null || items.Count == 0) throw new BadRequestProblem("The body must be a non-empty JSON array of items, each with an 'id'.");
        if (items.Count > MaxBulkItems) throw new BadRequestProblem($"The body holds {items.Count} items; send at most {MaxBulkItems} at a time.");
        var ids = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
            ids.Add(id(items[i]) ?? throw InvalidInputProblem.Single($"[{i}].id", "is required: the id of the anomaly."));
        var repeated = ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new BadRequestProblem($"Anomaly {string.Join(", ", repeated)} is listed more than once; list each anomaly once.");
        return ids;
    }

    private async Task EnsureCanChangeAsync(int datastoreId, CancellationToken ct)
    {
        if (!await access.CanOperateDatastoreAsync(datastoreId, ct))
            throw new ForbiddenProblem($"Changing the anomalies of datastore {datastoreId} needs the Author or Editor permission in one of its teams, or the Manager role.");
    }
}
