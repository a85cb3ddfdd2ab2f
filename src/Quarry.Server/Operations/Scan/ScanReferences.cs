namespace Quarry.Server.Operations.Scan;

/// <summary>A container another check names, with what a statement reads it FROM.</summary>
internal sealed record ReferencedContainer(ScanContainer Container, ContainerSources Sources);

/// <summary>
/// What a scan reads from the store beyond the container it scans: the containers that existsIn, isReplicaOf and
/// aggregationComparison checks name (in this datastore or another of the same connection and database) and the row
/// counts earlier scans recorded for a volumetric check.
/// </summary>
internal sealed class ScanReferences(QuarryDb db, Datastore home, ConnectorDescriptor descriptor, ContainerSources homeSources, int operationId)
{
    private readonly Dictionary<int, ContainerSources> _sources = new() { [home.Id] = homeSources };

    /// <summary>The container the check's <c>ref_container</c> names; a reference that no longer resolves is a <see cref="ScanCheckException"/>.</summary>
    public async Task<ReferencedContainer> ResolveAsync(ScanCheck check, CancellationToken ct)
    {
        var (found, _, problem) = await CheckReferences.ResolveAsync(db, home, check.Properties, ct);
        if (found is null) throw new ScanCheckException($"The check's reference can't be read: {problem} Change the check; it was not evaluated.");
        var fields = await db.Fields.AsNoTracking().Where(f => f.ContainerId == found.Container.Id && !f.Removed).ToListAsync(ct);
        // Its computed fields too: a check may compare with one, and the statement then computes it as a scanned container's.
        var computed = await db.ComputedFields.AsNoTracking().Where(f => f.ContainerId == found.Container.Id).OrderBy(f => f.Id).ToListAsync(ct);
        var container = new ScanContainer(found.Container, fields.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            computed, []);
        if (!_sources.TryGetValue(found.Datastore.Id, out var sources))
            _sources[found.Datastore.Id] = sources = await ContainerSources.LoadAsync(db, found.Datastore.Id, descriptor.SchemaOf(found.Datastore.Schema), ct);
        return new ReferencedContainer(container, sources);
    }

    /// <summary>The rows earlier scans asserted for this check (its row counts), newest first, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<long>> PreviousCountsAsync(ScanCheck check, int take, CancellationToken ct) =>
        await db.CheckResults.AsNoTracking()
            .Where(r => r.CheckId == check.Check.Id && r.OperationId != operationId && r.Result != CheckOutcome.Unasserted && r.AssertedRecords != null)
            .OrderByDescending(r => r.OperationId).Take(take).Select(r => r.AssertedRecords!.Value).ToListAsync(ct);
}
