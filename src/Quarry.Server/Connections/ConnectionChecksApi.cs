using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Connections;

/// <summary>
/// Test a saved or unsaved connection, and verify a datastore. These answer 200 whether or not the database could be
/// reached: the request itself succeeded, and the body says what the database did. HTTP errors mean the request was
/// wrong (404 no such connection, 400 invalid connection, 403 not allowed).
/// </summary>
public static class ConnectionChecksApi
{
    public static IEndpointRouteBuilder MapConnectionChecks(this IEndpointRouteBuilder app)
    {
        var connections = app.MapGroup("/api/connections").WithTags("Connections").RequireManager().WithProblems();
        connections.MapPost("/{id:int}/test", TestSavedAsync);
        connections.MapPost("/test", TestUnsavedAsync);

        var datastores = app.MapGroup("/api/datastores").WithTags("Datastores").RequireMember().WithProblems();
        datastores.MapPost("/{id:int}/connection", VerifyDatastoreAsync);
        // Testing a datastore before it exists is part of creating one, which needs Manager.
        datastores.MapPost("/connection", VerifyUnsavedDatastoreAsync).RequireManager();
        return app;
    }

    /// <summary>
    /// Tests a saved connection. A body may override its fields (a new host, or a new password to try before saving
    /// it): the merged values are tested and nothing is saved.
    /// </summary>
    private static async Task<Ok<ConnectionCheckResult>> TestSavedAsync(
        int id, [FromBody] ConnectionRequest? changes, QuarryDb db, ConnectionService connections, ConnectorRegistry connectors, ILoggerFactory logs, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
        // Read without tracking: the changes below are tested, never saved.
        if (changes is not null) connections.Update(connection, changes);
        return TypedResults.Ok(await TestAsync(connectors.For(connection.Type), connections.Details(connection), logs, ct));
    }

    private static async Task<Ok<ConnectionCheckResult>> TestUnsavedAsync(
        ConnectionRequest request, ConnectionService connections, ConnectorRegistry connectors, ILoggerFactory logs, CancellationToken ct)
    {
        // An unsaved connection needs no name to be tested.
        if (string.IsNullOrWhiteSpace(request.Name)) request.Name = "unsaved";
        var details = connections.Details(request);
        return TypedResults.Ok(await TestAsync(connectors.For(details.Type), details, logs, ct));
    }

    private static async Task<ConnectionCheckResult> TestAsync(IConnector connector, ConnectionDetails details, ILoggerFactory logs, CancellationToken ct)
    {
        try
        {
            await connector.TestAsync(details, null, ct);
            return new ConnectionCheckResult(true, connector.Describe(details) + ": connected.");
        }
        catch (ConnectorException e)
        {
            logs.CreateLogger(typeof(ConnectionChecksApi)).LogInformation("Connection test to {Where} failed: {Failure}", connector.Describe(details), e.Failure);
            return new ConnectionCheckResult(false, e.Message);
        }
    }

    /// <summary>Connects to the datastore's catalog and checks its schema exists and is readable.</summary>
    private static async Task<Ok<ConnectionCheckResult>> VerifyDatastoreAsync(
        int id, QuarryDb db, Access.Access access, ConnectionService connections, ConnectorRegistry connectors, CancellationToken ct)
    {
        await access.EnsureCanReadDatastoreAsync(id, ct);
        var datastore = await db.Datastores.AsNoTracking().Include(d => d.Connection).SingleAsync(d => d.Id == id, ct);
        var connection = datastore.Connection!;
        return TypedResults.Ok(await VerifyAsync(connectors.For(connection.Type), connections.Details(connection), datastore.Database, datastore.Schema, ct));
    }

    /// <summary>
    /// Tests a datastore before creating it: its connection (saved, by <c>connection_id</c>, or new, as <c>connection</c>)
    /// reaches its database and its schema is readable.
    /// </summary>
    private static async Task<Ok<ConnectionCheckResult>> VerifyUnsavedDatastoreAsync(
        UnsavedDatastoreRequest request, QuarryDb db, ConnectionService connections, ConnectorRegistry connectors, CancellationToken ct)
    {
        ConnectionDetails details;
        if (request.ConnectionId is int connectionId) details = connections.Details(await ConnectionsApi.FindAsync(db, connectionId, ct));
        else if (request.Connection is { } unsaved)
        {
            if (string.IsNullOrWhiteSpace(unsaved.Name)) unsaved.Name = "unsaved";
            details = connections.Details(unsaved);
        }
        else throw InvalidInputProblem.Single("connection_id", "is required: the saved connection to use (or give a new one as 'connection').");
        return TypedResults.Ok(await VerifyAsync(connectors.For(details.Type), details, request.Database, request.Schema, ct));
    }

    private static async Task<ConnectionCheckResult> VerifyAsync(IConnector connector, ConnectionDetails details, string? database, string? schemaName, CancellationToken ct)
    {
        var catalog = connector.Descriptor.CatalogOf(database, details.Database);
        var schema = connector.Descriptor.SchemaOf(schemaName);
        try
        {
            await connector.TestAsync(details, catalog, ct);
            var check = await connector.CheckSchemaAsync(details, catalog, schema, ct);
            return new ConnectionCheckResult(check.Ok, check.Message);
        }
        catch (ConnectorException e)
        {
            return new ConnectionCheckResult(false, e.Message);
        }
    }
}
