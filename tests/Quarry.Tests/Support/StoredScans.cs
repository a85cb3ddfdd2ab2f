using Quarry.Server.Anomalies;
using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Support;

/// <summary>One check's outcome in a recorded scan; a failed one carries its failing rows.</summary>
public sealed record CheckOutcomeRow(int CheckId, string Result, long Asserted, long Anomalous, string? Message = null, IReadOnlyList<object>? Rows = null);

/// <summary>
/// Writes what a finished scan leaves in the store (the operation, its container scans, check results and
/// anomalies) through the test server's own QuarryDb, for tests about reading and changing those rows rather than
/// about running a scan. A failed check updates its open anomaly, as a scan does, or opens a new one.
/// </summary>
public static class StoredScans
{
    public static async Task<int> RecordAsync(QuarryTestServer server, int datastoreId, params CheckOutcomeRow[] outcomes)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var now = DateTime.UtcNow;
        var operation = new Operation
        {
            Type = "scan", DatastoreId = datastoreId, State = OperationState.Finished, Result = OperationResult.Success,
            Message = "Scanned.", CreatedAt = now, StartTime = now, EndTime = now,
        };
        db.Operations.Add(operation);
        await db.SaveChangesAsync();

        var checkIds = outcomes.Select(o => o.CheckId).ToList();
        var checks = await db.QualityChecks.Where(c => checkIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        foreach (var outcome in outcomes)
        {
            var check = checks[outcome.CheckId];
            Anomaly? anomaly = null;
            if (outcome.Result == CheckOutcome.Failed)
            {
                var open = AnomalyStatus.Open.ToList();
                anomaly = await db.Anomalies.FirstOrDefaultAsync(a => a.CheckId == check.Id && open.Contains(a.Status));
                if (anomaly is null)
                {
                    anomaly = new Anomaly
                    {
                        Uuid = Guid.NewGuid().ToString(), DatastoreId = datastoreId, ContainerId = check.ContainerId, CheckId = check.Id,
                        OperationId = operation.Id, Rule = check.Rule, FieldsJson = check.FieldsJson, CreatedAt = now,
                    };
                    db.Anomalies.Add(anomaly);
                }
                anomaly.LastOperationId = operation.Id;
                anomaly.AssertedRecords = outcome.Asserted;
                anomaly.AnomalousRecords = outcome.Anomalous;
                anomaly.Message = outcome.Message;
                anomaly.SourceRecordsJson = JsonSerializer.Serialize(outcome.Rows ?? []);
                anomaly.UpdatedAt = now;
                await db.SaveChangesAsync();
            }
            db.CheckResults.Add(new CheckResult
            {
                OperationId = operation.Id, DatastoreId = datastoreId, ContainerId = check.ContainerId, CheckId = check.Id, Result = outcome.Result,
                AssertedRecords = outcome.Asserted, AnomalousRecords = outcome.Anomalous, Message = outcome.Message, AnomalyId = anomaly?.Id, CreatedAt = now,
            });
        }
        foreach (var container in outcomes.GroupBy(o => checks[o.CheckId].ContainerId))
            db.ContainerScans.Add(new ContainerScan
            {
                OperationId = operation.Id, DatastoreId = datastoreId, ContainerId = container.Key, RecordCount = container.Max(o => o.Asserted), CreatedAt = now,
                ChecksPassed = container.Count(o => o.Result == CheckOutcome.Passed),
                ChecksFailed = container.Count(o => o.Result == CheckOutcome.Failed),
                ChecksUnasserted = container.Count(o => o.Result == CheckOutcome.Unasserted),
            });
        await db.SaveChangesAsync();
        return operation.Id;
    }

    /// <summary>The anomalies the scan <paramref name="operationId"/> opened or updated, by check id.</summary>
    public static async Task<Dictionary<int, int>> AnomaliesOfAsync(QuarryTestServer server, int operationId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        return await db.CheckResults.Where(r => r.OperationId == operationId && r.AnomalyId != null)
            .ToDictionaryAsync(r => r.CheckId, r => r.AnomalyId!.Value);
    }
}
