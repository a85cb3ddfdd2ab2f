using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Quality;

/// <summary>
/// Deleting or archiving checks, one (<c>DELETE /api/quality-checks/{id}</c>) or many (<c>DELETE /api/quality-checks</c>
/// with a list of items): every item is checked first (it exists, the caller sees and may author its datastore),
/// then all are applied in one transaction, so a refused item leaves every check as it was.
/// </summary>
public static class QualityCheckRemoval
{
    /// <summary>
    /// One check to remove. <c>archive</c>: keep it as Archived instead of deleting it. <c>status</c>: what its open
    /// anomalies become when it is archived (Resolved, Invalid, Duplicate, or Discarded, which Quarry calls Archived).
    /// <c>delete_anomalies</c>: delete its anomalies instead.
    /// </summary>
    public sealed class Item
    {
        public int? Id { get; set; }
        public bool? Archive { get; set; }
        public string? Status { get; set; }
        public bool? DeleteAnomalies { get; set; }
    }

    private static readonly IReadOnlyList<string> ArchiveStatuses = ["Resolved", "Invalid", "Duplicate", "Discarded", AnomalyStatus.Archived];

    public static async Task<NoContent> DeleteManyAsync([FromBody] List<Item>? items, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        if (items is null || items.Count == 0)
            throw InvalidInputProblem.Single("body", "give a list of checks: [{\"id\": 1, \"archive\": true}, …].");
        await ApplyAsync(db, access, items, ct);
        return TypedResults.NoContent();
    }

    public static async Task ApplyAsync(QuarryDb db, Access.Access access, IReadOnlyList<Item> items, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        for (var i = 0; i < items.Count; i++)
        {
            var where = items.Count == 1 ? "" : $"[{i}].";
            if (items[i].Id is null) CheckRules.Add(errors, where + "id", "is required: the id of the check.");
            if (items[i].Status is { } status && !ArchiveStatuses.Contains(status.Trim(), StringComparer.OrdinalIgnoreCase))
                CheckRules.Add(errors, where + "status", $"'{status}' is not an anomaly status for an archived check; use one of: {string.Join(", ", ArchiveStatuses)}.");
        }
        if (errors.Count > 0) throw CatalogFields.Problem(errors);

        var ids = items.Select(i => i.Id!.Value).Distinct().ToList();
        var found = await db.QualityChecks.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Join(db.Containers, c => c.ContainerId, c => c.Id, (c, container) => new { c.Id, container.DatastoreId }).ToListAsync(ct);
        foreach (var id in ids)
        {
            var check = found.FirstOrDefault(f => f.Id == id);
            if (check is null) throw NotFoundProblem.For("quality check", id);
            await access.EnsureSeesAsync(check.DatastoreId, NotFoundProblem.For("quality check", id), ct);
        }
        foreach (var datastore in found.Select(f => f.DatastoreId).Distinct())
            await access.EnsureCanAuthorDatastoreAsync(datastore, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        foreach (var item in items)
        {
            var id = item.Id!.Value;
            if (item.DeleteAnomalies == true)
                await db.Anomalies.Where(a => a.CheckId == id).ExecuteDeleteAsync(ct);
            if (item.Archive == true)
            {
                var becomes = AnomalyStatusFor(item.Status);
                if (item.DeleteAnomalies != true && becomes is not null)
                    await db.Anomalies.Where(a => a.CheckId == id && AnomalyStatus.Open.Contains(a.Status))
                        .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, becomes).SetProperty(a => a.StatusChangedAt, now).SetProperty(a => a.UpdatedAt, now), ct);
                await db.QualityChecks.Where(c => c.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckStatus.Archived).SetProperty(c => c.UpdatedAt, now), ct);
            }
            else await db.QualityChecks.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static string? AnomalyStatusFor(string? status) => status?.Trim() switch
    {
        null or "" => null,
        var s when s.Equals("Discarded", StringComparison.OrdinalIgnoreCase) => AnomalyStatus.Archived,
        var s => AnomalyStatus.All.First(a => a.Equals(s, StringComparison.OrdinalIgnoreCase)),
    };
}
