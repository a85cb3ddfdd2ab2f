using Quarry.Server.Anomalies;

namespace Quarry.Server.Operations.Scan;

/// <summary>What recording one container changed, summed into the scan's result.</summary>
internal readonly record struct Recorded(int Passed, int Failed, int Unasserted, int Opened, int Updated, int Resolved)
{
    public static Recorded operator +(Recorded a, Recorded b) => new(a.Passed + b.Passed, a.Failed + b.Failed, a.Unasserted + b.Unasserted,
        a.Opened + b.Opened, a.Updated + b.Updated, a.Resolved + b.Resolved);
}

/// <summary>
/// Writes evaluated containers' results in one transaction: per container its <c>container_scans</c> row, a
/// <c>check_results</c> row per check, per failed check an anomaly (the open one, Active or Acknowledged, updated when
/// the check already has one), and the operation's progress. A scan that stops part-way so leaves whole containers
/// recorded, never half of one, and its progress counts exactly the containers recorded. Small containers are recorded
/// several to a transaction (<see cref="ScanRunner"/> decides), since a commit costs the store far more than the rows.
/// </summary>
internal sealed class ScanRecorder(QuarryDb db, OperationProgress progress)
{
    /// <summary>Records <paramref name="evaluated"/>, which brings the containers analyzed to <paramref name="analyzed"/> of <paramref name="total"/>; <c>GoOn</c> is false when a user asked the scan to stop.</summary>
    public async Task<(Recorded Counts, bool GoOn)> RecordAsync(Operation operation, IReadOnlyList<(ScanContainer Container, ContainerEvaluation Evaluation)> evaluated,
        bool resolvePassing, int total, int analyzed, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var all = evaluated.SelectMany(c => c.Evaluation.Checks.Select(e => (c.Container, Result: e))).ToList();
        var checkIds = all.Select(e => e.Result.Check.Check.Id).ToList();
        // Open anomalies matter only to a failed check (updated) or, when asked, to a passing one (resolved).
        var needed = all.Any(e => e.Result.Result == CheckOutcome.Failed || (resolvePassing && e.Result.Result == CheckOutcome.Passed));
        Dictionary<int, Anomaly> open = !needed ? [] : (await db.Anomalies.Where(a => a.CheckId != null && checkIds.Contains(a.CheckId.Value) && AnomalyStatus.Open.Contains(a.Status))
                .OrderBy(a => a.Id).ToListAsync(ct))
            .GroupBy(a => a.CheckId!.Value).ToDictionary(g => g.Key, g => g.First());
        var (opened, updated, resolved) = (0, 0, 0);
        var anomalies = new Dictionary<int, Anomaly>();
        foreach (var (container, result) in all)
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
        var counts = new Recorded(0, 0, 0, opened, updated, resolved);
        foreach (var (container, evaluation) in evaluated)
        {
            var results = evaluation.Checks.Select(e => new CheckResult
            {
                OperationId = operation.Id, DatastoreId = operation.DatastoreId, ContainerId = container.Container.Id, CheckId = e.Check.Check.Id,
                Result = e.Result, AssertedRecords = e.Asserted, AnomalousRecords = e.Failing, Message = e.Message,
                AnomalyId = anomalies.GetValueOrDefault(e.Check.Check.Id)?.Id, CreatedAt = now,
            }).ToList();
            var (passed, failed, unasserted) = (results.Count(r => r.Result == CheckOutcome.Passed), results.Count(r => r.Result == CheckOutcome.Failed),
                results.Count(r => r.Result == CheckOutcome.Unasserted));
            counts += new Recorded(passed, failed, unasserted, 0, 0, 0);
            db.CheckResults.AddRange(results);
            db.ContainerScans.Add(new ContainerScan
            {
                OperationId = operation.Id, DatastoreId = operation.DatastoreId, ContainerId = container.Container.Id, RecordCount = evaluation.RecordCount,
                ChecksPassed = passed, ChecksFailed = failed, ChecksUnasserted = unasserted, Message = evaluation.Message, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        var goOn = await progress.ReportUnlessAbortRequestedAsync(operation.Id, total, analyzed, ct);
        await transaction.CommitAsync(ct);
        // Nothing recorded is read again: a scan of a thousand containers keeps no more in memory than one batch.
        db.ChangeTracker.Clear();
        return (counts, goOn);
    }
}
