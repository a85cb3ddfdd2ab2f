using Microsoft.OpenApi;

namespace Quarry.Server;

internal static class OpenApiSetup
{
    private const string Bearer = "bearer";

    public static IServiceCollection AddQuarryOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Quarry API";
                document.Info.Version = QuarryServer.Version;
                // The /api/docs page renders this as Markdown, where a bare <token> is taken for an HTML tag and vanishes: a code span keeps it.
                document.Info.Description = "Connections, datastores, sync operations and config as code. Authenticate with the header `Authorization: Bearer <token>`, where `<token>` is your Quarry API token (a JWT; tokens issued before were `qry_…` and still work).";
                // Declared, so clients and the /api/docs page ("Authorize") know to send the token.
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = Bearer,
                    Description = "A Quarry API token (a JWT, or an older qry_… token): printed by the first 'quarry serve', or POST /api/users/{id}/tokens.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
                return Task.CompletedTask;
            });
            // Query parameters bound from records ([AsParameters]) are named after C# properties ("Page"); the API's are snake_case.
            o.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                    if (parameter is { In: ParameterLocation.Query, Name: { Length: > 0 } name } && char.IsUpper(name[0]))
                        parameter.Name = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
                return Task.CompletedTask;
            });
        });

    public static void MapQuarryOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/api/openapi.json").AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/api/openapi.json", "Quarry API");
            ui.RoutePrefix = "api/docs";
        });
    }
}
