using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Quarry.Server.MultiSchema;

/// <summary>Discover a connection's catalogs and schemas, check them, and create a datastore for each (Manager role).</summary>
public static class MultiSchemaApi
{
    public sealed record CatalogQuery(string? Catalog);

    public static IServiceCollection AddMultiSchema(this IServiceCollection services)
    {
        // The connectors' owner registers the registry too; TryAdd keeps one either way.
        services.TryAddSingleton<ConnectorRegistry>();
        services.AddScoped<SchemaDiscovery>();
        services.AddScoped<BulkCreator>();
        return services;
    }

    public static RouteGroupBuilder MapMultiSchema(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/connections").WithTags("Multi-schema").RequireManager().WithProblems();

        group.MapGet("/{id:int}/catalogs", CatalogsAsync);
        group.MapGet("/{id:int}/schemas", SchemasAsync);
        group.MapPost("/catalogs", UnsavedCatalogsAsync);
        group.MapPost("/schemas", UnsavedSchemasAsync);
        group.MapPost("/{id:int}/datastores/validate", ValidateAsync);
        group.MapPost("/datastores/validate", UnsavedValidateAsync);
        group.MapPost("/{id:int}/datastores/bulk", BulkAsync);
        group.MapPost("/datastores/bulk", BulkWithNewConnectionAsync);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<DiscoveredName>>> CatalogsAsync(
        int id, QuarryDb db, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
        return TypedResults.Ok(await discovery.CatalogsAsync(connection, connections.Details(connection), ct));
    }

    private static async Task<Ok<IReadOnlyList<DiscoveredName>>> SchemasAsync(
        int id, [AsParameters] CatalogQuery query, QuarryDb db, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
        return TypedResults.Ok(await discovery.SchemasAsync(connection, connections.Details(connection), query.Catalog, ct));
    }

    private static async Task<Ok<IReadOnlyList<DiscoveredName>>> UnsavedCatalogsAsync(
        ConnectionRequest request, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct) =>
        TypedResults.Ok(await discovery.CatalogsAsync(null, connections.Details(WithName(request)), ct));

    private static async Task<Ok<IReadOnlyList<DiscoveredName>>> UnsavedSchemasAsync(
        [AsParameters] CatalogQuery query, ConnectionRequest request, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct) =>
        TypedResults.Ok(await discovery.SchemasAsync(null, connections.Details(WithName(request)), query.Catalog, ct));

    private static async Task<Ok<ValidateResponse>> ValidateAsync(
        int id, ValidateRequest request, QuarryDb db, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
        return TypedResults.Ok(new ValidateResponse(await discovery.ValidateAsync(connection, connections.Details(connection), request, ct)));
    }

    /// <summary>The wizard's Test Connection for a connection that is not saved yet.</summary>
    private static async Task<Ok<ValidateResponse>> UnsavedValidateAsync(BulkCreateRequest request, ConnectionService connections, SchemaDiscovery discovery, CancellationToken ct)
    {
        if (request.Connection is null) throw InvalidInputProblem.Single("connection", "is required: the unsaved connection's fields (type, host, …).");
        var details = connections.Details(WithName(request.Connection));
        var results = await discovery.ValidateAsync(null, details, new ValidateRequest { Catalog = request.Catalog, Schemas = request.Schemas, NameTemplate = request.NameTemplate }, ct);
        return TypedResults.Ok(new ValidateResponse(results));
    }

    private static async Task<Ok<BulkCreateResponse>> BulkAsync(
        int id, BulkCreateRequest request, QuarryDb db, ConnectionService connections, SchemaDiscovery discovery, BulkCreator creator, Access.Access access, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
        await discovery.EnsureReachableAsync(connections.Details(connection), request.Catalog, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await creator.CreateAsync(connection, request, access.UserId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(result);
    }

    /// <summary>The new connection is created first, in the same transaction: a request refused as a whole leaves no connection behind.</summary>
    private static async Task<Ok<BulkCreateResponse>> BulkWithNewConnectionAsync(
        BulkCreateRequest request, QuarryDb db, ConnectionService connections, SchemaDiscovery discovery, BulkCreator creator, Access.Access access, CancellationToken ct)
    {
        if (request.Connection is null) throw InvalidInputProblem.Single("connection", "is required: the new connection's fields (name, type, host, …).");
        var connection = connections.Create(request.Connection);
        if (await db.Connections.AnyAsync(c => c.NameKey == connection.NameKey, ct))
            throw new ConflictProblem($"A connection named '{connection.Name}' already exists; use POST /api/connections/{{id}}/datastores/bulk to add datastores to it.");
        await discovery.EnsureReachableAsync(connections.Details(connection), request.Catalog, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Connections.Add(connection);
        await db.SaveChangesAsync(ct);
        var result = await creator.CreateAsync(connection, request, access.UserId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(result);
    }

    /// <summary>Discovery before saving needs no name; the connection rules still apply to everything else.</summary>
    private static ConnectionRequest WithName(ConnectionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) request.Name = "unsaved";
        return request;
    }
}
