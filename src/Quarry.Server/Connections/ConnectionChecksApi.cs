using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quarry.Server.Access;
using Quarry.Server.Connectors;
using Quarry.Server.Errors;
using Quarry.Server.Store;

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
        return app;
    }

    private static async Task<Ok<ConnectionCheckResult>> TestSavedAsync(
        int id, QuarryDb db, ConnectionService connections, ConnectorRegistry connectors, ILoggerFactory logs, CancellationToken ct)
    {
        var connection = await ConnectionsApi.FindAsync(db, id, ct);
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
        var connector = connectors.For(connection.Type);
        var details = connections.Details(connection);
        var catalog = connector.Descriptor.CatalogOf(datastore.Database, connection.Database);
        var schema = connector.Descriptor.SchemaOf(datastore.Schema);
        try
        {
            await connector.TestAsync(details, catalog, ct);
            var check = await connector.CheckSchemaAsync(details, catalog, schema, ct);
            return TypedResults.Ok(new ConnectionCheckResult(check.Ok, check.Message));
        }
        catch (ConnectorException e)
        {
            return TypedResults.Ok(new ConnectionCheckResult(false, e.Message));
        }
    }
}
