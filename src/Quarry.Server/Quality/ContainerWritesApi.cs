using Microsoft.AspNetCore.Mvc;
using Quarry.Server.Operations.Scan;

namespace Quarry.Server.Quality;

/// <summary>
/// Writing containers through <c>/api/containers</c>, as Qualytics clients do: only computed containers are written
/// (a synced table comes and goes with its source), so these share the computed containers' rules and access checks.
/// </summary>
public static class ContainerWritesApi
{
    /// <summary>One item of <c>PATCH /api/containers</c>: the container's id and the fields to change.</summary>
    public sealed class ContainerPatch
    {
        public int? Id { get; set; }
        public ComputedContainerRequest? Changes { get; set; }
    }

    /// <summary>The body of <c>POST /api/containers/validate</c>.</summary>
    public sealed class ValidateRequest
    {
        public ComputedContainerRequest? Container { get; set; }
    }

    public sealed record ValidationResult(bool Success, string Message, IReadOnlyList<string> Fields);

    public static RouteGroupBuilder MapContainerWrites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/containers").WithTags("Containers").RequireMember().WithProblems();
        group.MapPost("/", ComputedContainersApi.CreateAsync);
        group.MapPut("/{id:int}", UpdateAsync);
        group.MapDelete("/{id:int}", DeleteAsync);
        group.MapPatch("/", PatchManyAsync);
        group.MapPost("/validate", ValidateAsync);
        return group;
    }

    private static async Task<Ok<ComputedContainerDto>> UpdateAsync(
        int id, ComputedContainerRequest request, QuarryDb db, ComputedContainerService service, Access.Access access, CancellationToken ct)
    {
        await EnsureComputedAsync(db, access, id, ct);
        return await ComputedContainersApi.UpdateAsync(id, request, db, service, access, ct);
    }

    private static async Task<NoContent> DeleteAsync(int id, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        await EnsureComputedAsync(db, access, id, ct);
        return await ComputedContainersApi.DeleteAsync(id, db, access, ct);
    }

    /// <summary>Several computed containers changed at once: all or none.</summary>
    private static async Task<Ok<List<ComputedContainerDto>>> PatchManyAsync(
        [FromBody] List<ContainerPatch>? items, QuarryDb db, ComputedContainerService service, Access.Access access, CancellationToken ct)
    {
        if (items is null || items.Count == 0)
            throw InvalidInputProblem.Single("body", "give a list of changes: [{\"id\": 1, \"changes\": {\"description\": \"…\"}}, …].");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = new List<Container>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Id is not int id) throw InvalidInputProblem.Single($"[{i}].id", "is required: the id of the container.");
            await EnsureComputedAsync(db, access, id, ct);
            var container = await db.Containers.FirstAsync(c => c.Id == id, ct);
            var definition = await db.ComputedContainers.FirstAsync(c => c.ContainerId == id, ct);
            await service.UpdateAsync(container, definition, items[i].Changes ?? new ComputedContainerRequest(), ct);
            changed.Add(container);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ComputedContainersApi.ReadAsync(db, changed, ct));
    }

    /// <summary>
    /// Checks a computed container without saving it: its definition by the same rules as creating it, and then its
    /// SQL (a computed table's query, a join with its clauses) by running it at the source (one row read). 200 either
    /// way; <c>success</c> says which.
    /// </summary>
    private static async Task<Ok<ValidationResult>> ValidateAsync(
        ValidateRequest request, [FromQuery(Name = "timeout_seconds")] int? timeoutSeconds, QuarryDb db, ComputedContainerService service,
        ConnectionService connections, ConnectorRegistry connectors, CancellationToken ct)
    {
        var definition = request.Container ?? throw InvalidInputProblem.Single("container", "is required: the computed container to check.");
        List<string> fields;
        Container container;
        Dictionary<int, Container> containers;
        Dictionary<int, ComputedContainer> definitions;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            container = await service.CreateAsync(definition, ct);
            await db.SaveChangesAsync(ct);
            fields = await db.Fields.Where(f => f.ContainerId == container.Id).OrderBy(f => f.Ordinal).Select(f => f.Name).ToListAsync(ct);
            // What the container's SQL is built from, read before the container is rolled back.
            containers = await db.Containers.AsNoTracking().Where(c => c.DatastoreId == container.DatastoreId).ToDictionaryAsync(c => c.Id, ct);
            definitions = await db.ComputedContainers.AsNoTracking().Where(d => containers.Keys.Contains(d.ContainerId)).ToDictionaryAsync(d => d.ContainerId, ct);
            await transaction.RollbackAsync(ct);
        }
        db.ChangeTracker.Clear();

        var datastore = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == definition.DatastoreId, ct);
        var connector = connectors.For(datastore.Connection!.Type);
        if (connector.SourceQueries is not { } source)
            return TypedResults.Ok(new ValidationResult(false, $"Quarry cannot run queries on {connector.Descriptor.DisplayName} sources yet; the definition is valid.", fields));
        var details = connections.Details(datastore.Connection);
        var scope = new SourceScope(connector.Descriptor.CatalogOf(datastore.Database, details.Database), connector.Descriptor.SchemaOf(datastore.Schema));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds ?? 60, 1, 600)));
        try
        {
            var sql = new SqlText(connector.Dialect);
            var relation = new ContainerSources(scope.Schema, containers, definitions).Relation(sql, container);
            var rows = await source.ReadRowsAsync(details, scope, sql.Statement($"SELECT * FROM {relation} AS q"), 1, timeout.Token);
            return TypedResults.Ok(new ValidationResult(true, $"The query ran at the source; it returns {string.Join(", ", rows.Columns)}.", rows.Columns.ToList()));
        }
        catch (ScanCheckException e)
        {
            return TypedResults.Ok(new ValidationResult(false, e.Message, fields));
        }
        catch (ConnectorException e)
        {
            return TypedResults.Ok(new ValidationResult(false, e.Message, fields));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TypedResults.Ok(new ValidationResult(false, $"The query did not finish within {Math.Clamp(timeoutSeconds ?? 60, 1, 600)} seconds.", fields));
        }
    }

    /// <summary>
    /// A synced container cannot be written here: say so, rather than that it does not exist. Permission comes first,
    /// as for any write: a caller who may not change the datastore hears that, not what state its container is in.
    /// </summary>
    private static async Task EnsureComputedAsync(QuarryDb db, Access.Access access, int id, CancellationToken ct)
    {
        var container = await db.Containers.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name, c.ContainerType, c.DatastoreId }).FirstOrDefaultAsync(ct)
            ?? throw NotFoundProblem.For("container", id);
        await access.EnsureSeesAsync(container.DatastoreId, NotFoundProblem.For("container", id), ct);
        await access.EnsureCanAuthorDatastoreAsync(container.DatastoreId, ct);
        if (!ComputedKinds.IsComputed(container.ContainerType))
            throw new ConflictProblem($"Container '{container.Name}' is a {container.ContainerType} read from the source: it changes when the source does and a sync runs. Only computed containers are written through the API.");
    }
}
