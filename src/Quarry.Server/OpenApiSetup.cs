using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Quarry.Server;

internal static class OpenApiSetup
{
    public static IServiceCollection AddQuarryOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Quarry API";
            document.Info.Version = QuarryServer.Version;
            document.Info.Description = "Connections, datastores, sync operations and config as code. Authenticate with 'Authorization: Bearer <token>'.";
            return Task.CompletedTask;
        }));

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
