using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Quarry.Server.Anomalies;
using Quarry.Server.Config;
using Quarry.Server.Operations;
using Quarry.Server.Operations.Export;
using Quarry.Server.Operations.Profile;
using Quarry.Server.MultiSchema;
using Quarry.Server.Web;
using Quarry.Server.ScanResults;
using Quarry.Server.Secrets;
using Quarry.Server.Tags;

namespace Quarry.Server;

/// <summary>Builds and starts one Quarry server instance; <c>quarry serve</c> and the tests both use this.</summary>
public static class QuarryServer
{
    public static string Version => typeof(QuarryServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static WebApplication Build(ServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // ASP.NET Core logs every request at Information ("Executing endpoint …"): noise on the terminal and,
        // through the synchronous console logger, a cost on every request. Warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Authentication pulls in Data Protection, which Quarry never uses (no cookies); its key chatter is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        logging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(SecretBox.Load(options.SecretKey, options.DataDirectory));
        services.AddQuarryStore(options);
        services.AddHttpContextAccessor();
        services.ConfigureHttpJsonOptions(o =>
        {
            QuarryJson.Configure(o.SerializerOptions);
            NulCharacters.Register(o.SerializerOptions);
        });
        // Every body is held to InputLimits.BodyBytes; config plan and apply raise it for themselves (ConfigApi).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = InputLimits.BodyBytes);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = DefaultProblemDetail.Fill);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddQuarryPolicies();
        services.AddScoped<Access.Access>();
        services.AddScoped<ConnectionService>();
        services.AddScoped<DatastoreService>();
        services.AddConnectors();
        services.AddOperations();
        services.AddMultiSchema();
        services.AddQuality();
        services.AddConfigAsCode();
        services.AddAnomalies();
        services.AddQuarryOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.RejectNulInQuery();
        app.UseAuthentication();
        app.UseAuthorization();
        app.RejectUnknownQueryParameters();

        app.MapStatus(options);
        app.MapQuarryOpenApi();
        app.MapUsers();
        app.MapTeams();
        app.MapConnections();
        app.MapConnectorTypes();
        app.MapDatastores();
        app.MapDatastoreGroups();
        app.MapConnectionChecks();
        app.MapOperations();
        app.MapContainers();
        app.MapFieldProfiles();
        app.MapMultiSchema();
        app.MapWebUi();
        app.MapQuality();
        app.MapGlobalTags();
        app.MapConfig();
        app.MapAnomalies();
        app.MapScanResults();
        app.MapExports();
        return app;
    }

    /// <summary>Prepares the store, then starts listening. The returned app is running.</summary>
    public static async Task<WebApplication> StartAsync(ServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var app = Build(options, logging);
        try
        {
            await StoreSetup.PrepareAsync(app.Services, options, app.Logger, ct);
            await app.StartAsync(ct);
            return app;
        }
        catch
        {
            // A start that fails (store behind, wrong secret key, port taken) must not leave the app's services behind.
            await app.DisposeAsync();
            throw;
        }
    }

    private static void MapStatus(this IEndpointRouteBuilder app, ServerOptions options) =>
        app.MapGet("/api/status", () => TypedResults.Ok(new StatusDto("ok", Version, options.StoreKind.ToString().ToLowerInvariant())))
            .WithTags("Status")
            .AllowAnonymous();
}
