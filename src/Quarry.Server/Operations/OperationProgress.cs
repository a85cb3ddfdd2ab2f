using Microsoft.EntityFrameworkCore;
using Quarry.Server.Store;

namespace Quarry.Server.Operations;

/// <summary>What any runner reports while it works: how many containers it analyzed, and whether a user asked it to stop.</summary>
public sealed class OperationProgress(QuarryDb db)
{
    public Task ReportAsync(int operationId, int total, int analyzed, CancellationToken ct) =>
        db.Operations.Where(o => o.Id == operationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.TotalContainers, total).SetProperty(o => o.ContainersAnalyzed, analyzed), ct);

    public async Task ThrowIfAbortRequestedAsync(int operationId, CancellationToken ct)
    {
        if (await db.Operations.AsNoTracking().AnyAsync(o => o.Id == operationId && o.AbortRequested, ct)) throw new OperationAbortedException();
    }
}
