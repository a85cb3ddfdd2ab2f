using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Anomalies;

/// <summary>
/// <c>/api/anomalies</c>: what scans found, in the shape Qualytics clients read. Reading follows the datastore's
/// teams; changing a status or a description, archiving and deleting need Author or Editor in one of them.
/// </summary>
public static class AnomaliesApi
{
    public static IServiceCollection AddAnomalies(this IServiceCollection services) => services.AddScoped<AnomalyChanges>();

    public static RouteGroupBuilder MapAnomalies(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/anomalies").WithTags("Anomalies").RequireMember().WithProblems();
        group.MapGet("/", ListAsync).AcceptsOnlyQuery(AnomalyFilter.Parameters);
        group.MapGet("/{id:int}", GetAsync).AcceptsOnlyQuery();
        group.MapPut("/{id:int}", UpdateAsync).AcceptsOnlyQuery();
        group.MapDelete("/{id:int}", DeleteAsync).AcceptsOnlyQuery("archive", "status");
        group.MapPatch("/", BulkUpdateAsync).AcceptsOnlyQuery();
        group.MapDelete("/", BulkDeleteAsync).AcceptsOnlyQuery();
        group.MapGet("/{id:int}/source-records", SourceRecordsAsync).AcceptsOnlyQuery();
        return group;
    }

    private static async Task<Ok<Page<AnomalyDto>>> ListAsync(
        [AsParameters] AnomalyFilter filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(db.Datastores.AsNoTracking(), ct);
        var query = filter.Apply(db.Anomalies.AsNoTracking().Where(a => visible.Any(d => d.Id == a.DatastoreId)), db);
        var (rows, total) = await query.ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<AnomalyDto>(await AnomalyMapping.ToDtosAsync(db, rows, ct), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<AnomalyDto>> GetAsync(int id, QuarryDb db, AnomalyChanges anomalies, CancellationToken ct) =>
        TypedResults.Ok(await AnomalyMapping.ToDtoAsync(db, await anomalies.FindVisibleAsync(id, tracked: false, ct), ct));

    private static async Task<Ok<SourceRecordsDto>> SourceRecordsAsync(int id, AnomalyChanges anomalies, CancellationToken ct) =>
        TypedResults.Ok(AnomalyMapping.SourceRecords(await anomalies.FindVisibleAsync(id, tracked: false, ct)));

    private static async Task<Ok<AnomalyDto>> UpdateAsync(int id, AnomalyUpdateRequest request, QuarryDb db, AnomalyChanges anomalies, CancellationToken ct)
    {
        var anomaly = await anomalies.FindChangeableAsync(id, ct);
        var (status, description) = AnomalyChanges.Read(request.Status, request.Description);
        await anomalies.EnsureOneOpenPerCheckAsync([(anomaly, status)], ct);
        anomalies.Update(anomaly, status, description, DateTime.UtcNow);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await AnomalyMapping.ToDtoAsync(db, anomaly, ct));
    }

    /// <summary>Deletes the anomaly, or with <c>?archive=true</c> keeps it with an archived status (<c>status</c>, default Archived).</summary>
    private static async Task<NoContent> DeleteAsync(int id, bool? archive, string? status, QuarryDb db, AnomalyChanges anomalies, CancellationToken ct)
    {
        var anomaly = await anomalies.FindChangeableAsync(id, ct);
        if (archive == true)
            anomalies.Update(anomaly, ArchiveStatus(status, "status"), null, DateTime.UtcNow);
        else if (!string.IsNullOrWhiteSpace(status))
            throw new BadRequestProblem("'status' is what an archive records; add archive=true to archive the anomaly with it, or leave it out to delete the anomaly.");
        else
            db.Anomalies.Remove(anomaly);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Changes the status and/or description of several anomalies: all of them, or none when any item is refused.</summary>
    private static async Task<Ok<List<AnomalyDto>>> BulkUpdateAsync(List<AnomalyBulkUpdateItem> items, QuarryDb db, AnomalyChanges anomalies, CancellationToken ct)
    {
        var ids = AnomalyChanges.Ids(items, i => i.Id);
        var changes = items.Select((item, i) => AnomalyChanges.Read(item.Status, item.Description, $"[{i}].")).ToList();
        var found = await anomalies.FindAllChangeableAsync(ids, ct);
        await anomalies.EnsureOneOpenPerCheckAsync(ids.Select((id, i) => (found[id], changes[i].Status)).ToList(), ct);
        var now = DateTime.UtcNow;
        for (var i = 0; i < ids.Count; i++) anomalies.Update(found[ids[i]], changes[i].Status, changes[i].Description, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await AnomalyMapping.ToDtosAsync(db, ids.Select(id => found[id]).ToList(), ct));
    }

    /// <summary>Deletes or archives several anomalies (each item says which): all of them, or none when any item is refused.</summary>
    private static async Task<NoContent> BulkDeleteAsync([FromBody] List<AnomalyBulkDeleteItem> items, QuarryDb db, AnomalyChanges anomalies, CancellationToken ct)
    {
        var ids = AnomalyChanges.Ids(items, i => i.Id);
        var archiveStatuses = items.Select((item, i) => item.Archive == true
            ? ArchiveStatus(item.Status, $"[{i}].status")
            : string.IsNullOrWhiteSpace(item.Status) ? null
            : throw InvalidInputProblem.Single($"[{i}].status", "is what an archive records; add \"archive\": true to archive the anomaly with it, or leave it out to delete the anomaly.")).ToList();
        var found = await anomalies.FindAllChangeableAsync(ids, ct);
        var now = DateTime.UtcNow;
        for (var i = 0; i < ids.Count; i++)
        {
            if (archiveStatuses[i] is { } archived) anomalies.Update(found[ids[i]], archived, null, now);
            else db.Anomalies.Remove(found[ids[i]]);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static string ArchiveStatus(string? status, string field) => string.IsNullOrWhiteSpace(status)
        ? AnomalyStatuses.DefaultArchive
        : AnomalyStatuses.Parse(status, field, AnomalyStatuses.Archived);
}
