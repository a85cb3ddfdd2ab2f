namespace Quarry.Server.Operations;

/// <summary>What any runner reports while it works: how many containers it analyzed, and whether a user asked it to stop.</summary>
public sealed class OperationProgress(QuarryDb db)
{
    public Task ReportAsync(int operationId, int total, int analyzed, CancellationToken ct) =>
        db.Operations.Where(o => o.Id == operationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.TotalContainers, total).SetProperty(o => o.ContainersAnalyzed, analyzed), ct);

    /// <summary>
    /// Reports progress and asks whether to go on in one statement, so it can share the transaction that records the
    /// work it counts: false when a user asked the operation to stop (the progress is reported all the same).
    /// </summary>
    public async Task<bool> ReportUnlessAbortRequestedAsync(int operationId, int total, int analyzed, CancellationToken ct)
    {
        var reported = await db.Operations.Where(o => o.Id == operationId && !o.AbortRequested)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.TotalContainers, total).SetProperty(o => o.ContainersAnalyzed, analyzed), ct);
        if (reported > 0) return true;
        await ReportAsync(operationId, total, analyzed, ct);
        return false;
    }

    public async Task ThrowIfAbortRequestedAsync(int operationId, CancellationToken ct)
    {
        if (await db.Operations.AsNoTracking().AnyAsync(o => o.Id == operationId && o.AbortRequested, ct)) throw new OperationAbortedException();
    }
}
