using Microsoft.Extensions.DependencyInjection;

namespace Quarry.Server.Connectors;

public static class ConnectorSetup
{
    /// <summary>Registers every connector and the <see cref="ConnectorRegistry"/> that finds them by type. They hold no state.</summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services)
    {
        services.AddSingleton<IConnector, PostgreSqlConnector>();
        services.AddSingleton<IConnector, SqliteConnector>();
        services.AddSingleton<ConnectorRegistry>();
        return services;
    }
}
