namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Reads the containers to scan from the store a batch at a time (their fields, computed fields and active checks in
/// three queries per batch rather than per container), so a scan of many small containers is not paced by the store,
/// while a datastore of thousands of wide containers is never held in memory at once.
/// </summary>
internal sealed class ScanContainerLoader(QuarryDb db, IReadOnlyList<Container> scanned)
{
    public const int BatchSize = 50;

    private readonly Dictionary<int, ScanContainer> _batch = [];

    /// <summary>The <paramref name="index"/>-th container to scan, reading it and the next ones when it is not read yet.</summary>
    public async Task<ScanContainer> GetAsync(int index, CancellationToken ct)
    {
        if (_batch.Remove(scanned[index].Id, out var loaded)) return loaded;
        _batch.Clear();
        var batch = scanned.Skip(index).Take(BatchSize).ToList();
        var ids = batch.Select(c => c.Id).ToList();
        var fields = (await db.Fields.AsNoTracking().Where(f => ids.Contains(f.ContainerId)).ToListAsync(ct)).ToLookup(f => f.ContainerId);
        var computed = (await db.ComputedFields.AsNoTracking().Where(f => ids.Contains(f.ContainerId)).OrderBy(f => f.Id).ToListAsync(ct)).ToLookup(f => f.ContainerId);
        var checks = (await db.QualityChecks.AsNoTracking().Where(c => ids.Contains(c.ContainerId) && c.Status == CheckStatus.Active).OrderBy(c => c.Id).ToListAsync(ct))
            .ToLookup(c => c.ContainerId);
        foreach (var container in batch)
            _batch[container.Id] = new ScanContainer(container,
                fields[container.Id].GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
                computed[container.Id].ToList(), checks[container.Id].Select(ScanCheck.Of).ToList());
        _batch.Remove(scanned[index].Id, out loaded);
        return loaded!;
    }
}
