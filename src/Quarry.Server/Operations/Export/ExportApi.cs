using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Operations.Export;

/// <summary>
/// <c>POST /api/export/…</c> as Qualytics clients call them (their scheduled exports: <c>?datastore=&amp;containers=</c>,
/// no body). Anomalies, checks and field profiles queue an <c>export</c> operation of the datastore (202 with it, as
/// <c>POST /api/operations/run</c> answers); check templates belong to no datastore and are written at once (204).
/// </summary>
public static class ExportApi
{
    /// <summary><c>containers</c> may repeat or list ids with commas; <c>include_deleted</c> adds archived checks and anomalies.</summary>
    public sealed record ExportQuery([property: FromQuery] string[]? Datastore, [property: FromQuery] string[]? Containers,
        [property: FromQuery(Name = "include_deleted")] bool? IncludeDeleted);

    public sealed record TemplatesQuery(
        [property: FromQuery(Name = "enrich_datastore_id")] int? EnrichDatastoreId,
        [property: FromQuery(Name = "template_ids")] string[]? TemplateIds);

    public static RouteGroupBuilder MapExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/export").WithTags("Exports").RequireMember().WithProblems();
        group.MapPost("/anomalies", ([AsParameters] ExportQuery query, QuarryDb db, Access.Access access, IServiceProvider services, CancellationToken ct) =>
            QueueAsync(ExportParameters.Anomalies, query, db, access, services, ct));
        group.MapPost("/checks", ([AsParameters] ExportQuery query, QuarryDb db, Access.Access access, IServiceProvider services, CancellationToken ct) =>
            QueueAsync(ExportParameters.Checks, query, db, access, services, ct));
        group.MapPost("/field-profiles", ([AsParameters] ExportQuery query, QuarryDb db, Access.Access access, IServiceProvider services, CancellationToken ct) =>
            QueueAsync(ExportParameters.FieldProfiles, query, db, access, services, ct));
        group.MapPost("/check-templates", TemplatesAsync);
        return group;
    }

    private static async Task<Accepted<OperationDto>> QueueAsync(
        string asset, ExportQuery query, QuarryDb db, Access.Access access, IServiceProvider services, CancellationToken ct)
    {
        var ids = QueryValues.Ints(query.Datastore, "datastore");
        if (ids.Count != 1)
            throw new BadRequestProblem($"The query parameter 'datastore' is required and takes one datastore id (e.g. datastore=1); got {ids.Count}.");
        var datastoreId = ids[0];
        await access.EnsureCanOperateDatastoreAsync(datastoreId, ct);
        var runner = services.GetRequiredKeyedService<IOperationRunner>(ExportRunner.TypeName);
        await runner.EnsureCanRunAsync(db, datastoreId, ct);
        var containers = QueryValues.Ints(query.Containers, "containers");
        var parameters = new ExportParameters([asset], containers.Count == 0 ? null : ExportParameters.CleanContainerIds(containers, "containers"), query.IncludeDeleted == true);
        var operation = OperationQueue.Enqueue(db, ExportRunner.TypeName, datastoreId, access.UserId, parameters.ToJson());
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/operations/{operation.Id}", operation.ToDto());
    }

    /// <summary>
    /// Writes the check templates (all, or those of <c>template_ids</c>) into <c>enrich_datastore_id</c>'s
    /// <c>&lt;prefix&gt;_export_check_templates</c>, replacing what was there. Needs Author in one of that datastore's teams.
    /// </summary>
    private static async Task<NoContent> TemplatesAsync([AsParameters] TemplatesQuery query, QuarryDb db, Access.Access access, IServiceProvider services, CancellationToken ct)
    {
        if (query.EnrichDatastoreId is not int targetId)
            throw new BadRequestProblem("The query parameter 'enrich_datastore_id' is required: the enrichment datastore to write the check templates to.");
        await access.EnsureCanOperateDatastoreAsync(targetId, ct);
        var ids = QueryValues.Ints(query.TemplateIds, "template_ids") is { Count: > 0 } named ? named : null;
        if (ids is not null)
        {
            var known = await db.Set<Quality.QualityCheckTemplate>().AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
            if (ids.Except(known).ToList() is { Count: > 0 } missing)
                throw InvalidInputProblem.Single("template_ids", $"no quality check template has id {string.Join(", ", missing)}; nothing was exported.");
        }
        var target = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == targetId, ct);
        var runner = (ExportRunner)services.GetRequiredKeyedService<IOperationRunner>(ExportRunner.TypeName);
        try
        {
            await runner.ExportTemplatesAsync(target, ids, ct);
        }
        catch (Connectors.ConnectorException e)
        {
            throw new EnrichmentWriteProblem(e.Message);
        }
        return TypedResults.NoContent();
    }
}

/// <summary>The enrichment datastore refused or could not take a write made during the request: the database's side, not the request's.</summary>
public sealed class EnrichmentWriteProblem(string detail) : QuarryProblem(502, "Enrichment datastore write failed", detail);
