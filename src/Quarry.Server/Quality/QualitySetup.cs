namespace Quarry.Server.Quality;

public static class QualitySetup
{
    public static IServiceCollection AddQuality(this IServiceCollection services) => services
        .AddScoped<QualityCheckService>()
        .AddScoped<ComputedFieldService>()
        .AddScoped<ComputedContainerService>()
        .AddScoped<Config.QualityConfigPhase>()
        .AddScoped<Config.ConfigPrune>();

    public static void MapQuality(this IEndpointRouteBuilder app)
    {
        app.MapComputedContainers();
        app.MapContainerWrites();
        app.MapComputedFields();
        app.MapQualityChecks();
        app.MapQualityCheckTemplates();
    }
}
