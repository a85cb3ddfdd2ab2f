using Quarry.Server.Anomalies;

namespace Quarry.Server.Operations.Scan;

/// <summary>What recording one container changed, summed into the scan's result.</summary>
internal readonly record struct Recorded(int Passed, int Failed, int Unasserted, int Opened, int Updated, int Resolved)
{
    public static Recorded operator +(Recorded a, Recorded b) => new(a.Passed + b.Passed, a.Failed + b.Failed, a.Unasserted + b.Unasserted,
        a.Opened + b.Opened, a.Updated + b.Updated, a.Resolved + b.Resolved);
}

/// <summary>
/// Writes one container's results in one transaction: its <c>container_scans</c> row, a <c>check_results</c> row per
/// check, per failed check an anomaly (the open one, Active or Acknowledged, updated when the check already has one),
/// and the operation's progress. A scan that stops part-way so leaves whole containers recorded, never half of one,
/// and its progress counts exactly the containers recorded.
/// </summary>
internal sealed class ScanRecorder(QuarryDb db, OperationProgress progress)
{
    /// <summary>Records the <paramref name="analyzed"/>-th container of <paramref name="total"/>; <c>GoOn</c> is false when a user asked the scan to stop.</summary>
    public async Task<(Recorded Counts, bool GoOn)> RecordAsync(Operation operation, ScanContainer container, ContainerEvaluation evaluation, bool resolvePassing,
        int total, int analyzed, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var checkIds = evaluation.Checks.Select(e => e.Check.Check.Id).ToList();
        // Open anomalies matter only to a failed check (updated) or, when asked, to a passing one (resolved).
        var needed = evaluation.Checks.Any(e => e.Result == CheckOutcome.Failed || (resolvePassing && e.Result == CheckOutcome.Passed));
        Dictionary<int, Anomaly> open = !needed ? [] : (await db.Anomalies.Where(a => a.CheckId != null && checkIds.Contains(a.CheckId.Value) && AnomalyStatus.Open.Contains(a.Status))
                .OrderBy(a => a.Id).ToListAsync(ct))
            .GroupBy(a => a.CheckId!.Value).ToDictionary(g => g.Key, g => g.First());
        var (opened, updated, resolved) = (0, 0, 0);
        var anomalies = new Dictionary<int, Anomaly>();
        foreach (var result in evaluation.Checks)
        {
            var check = result.Check.Check;
            if (result.Result == CheckOutcome.Failed)
            {
                if (!open.TryGetValue(check.Id, out var anomaly))
                {
                    anomaly = new Anomaly
                    {
                        Uuid = Guid.NewGuid().ToString(), DatastoreId = operation.DatastoreId, ContainerId = container.Container.Id, CheckId = check.Id,
                        OperationId = operation.Id, Rule = check.Rule, FieldsJson = check.FieldsJson, CreatedAt = now, StatusChangedAt = now,
                        AnomalyType = ContainerRules.IsShape(check.Rule) ? AnomalyType.Shape : AnomalyType.Record,
                    };
                    db.Anomalies.Add(anomaly);
                    opened++;
                }
                else updated++;
                anomaly.LastOperationId = operation.Id;
                anomaly.AssertedRecords = result.Asserted;
                anomaly.AnomalousRecords = result.Failing;
                anomaly.Message = result.Message;
                anomaly.SourceRecordsJson = SourceRecords.ToJson(result.Samples);
                anomaly.UpdatedAt = now;
                anomalies[check.Id] = anomaly;
            }
            else if (result.Result == CheckOutcome.Passed && resolvePassing && open.TryGetValue(check.Id, out var fixedOne))
            {
                fixedOne.Status = AnomalyStatus.Resolved;
                fixedOne.StatusChangedAt = now;
                fixedOne.UpdatedAt = now;
                resolved++;
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        var results = evaluation.Checks.Select(e => new CheckResult
        {
            OperationId = operation.Id, DatastoreId = operation.DatastoreId, ContainerId = container.Container.Id, CheckId = e.Check.Check.Id,
            Result = e.Result, AssertedRecords = e.Asserted, AnomalousRecords = e.Failing, Message = e.Message,
            AnomalyId = anomalies.GetValueOrDefault(e.Check.Check.Id)?.Id, CreatedAt = now,
        }).ToList();
        var counts = new Recorded(
            results.Count(r => r.Result == CheckOutcome.Passed), results.Count(r => r.Result == CheckOutcome.Failed),
            results.Count(r => r.Result == CheckOutcome.Unasserted), opened, updated, resolved);
        db.CheckResults.AddRange(results);
        db.ContainerScans.Add(new ContainerScan
        {
            OperationId = operation.Id, DatastoreId = operation.DatastoreId, ContainerId = container.Container.Id, RecordCount = evaluation.RecordCount,
            ChecksPassed = counts.Passed, ChecksFailed = counts.Failed, ChecksUnasserted = counts.Unasserted, Message = evaluation.Message, CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        var goOn = await progress.ReportUnlessAbortRequestedAsync(operation.Id, total, analyzed, ct);
        await transaction.CommitAsync(ct);
        // Nothing recorded is read again: a scan of a thousand containers keeps no more in memory than one.
        db.ChangeTracker.Clear();
        return (counts, goOn);
    }
}
