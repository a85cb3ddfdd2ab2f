using Microsoft.Extensions.DependencyInjection.Extensions;
using Quarry.Server.Connectors.Files;
using Quarry.Server.Connectors.MySql;
using Quarry.Server.Connectors.PostgreSql;
using Quarry.Server.Connectors.Sqlite;

namespace Quarry.Server.Connectors;

public static class ConnectorSetup
{
    /// <summary>
    /// Registers every connector and the <see cref="ConnectorRegistry"/> that finds them by type. They hold no state.
    /// A new connector is its folder plus one line here; everything else reads its descriptor.
    /// </summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services)
    {
        services.AddSingleton<IConnector, PostgreSqlConnector>();
        services.AddSingleton<IConnector, SqliteConnector>();
        services.AddSingleton<IConnector, MySqlSourceConnector>();
        services.AddSingleton<IConnector, FilesConnector>();
        services.TryAddSingleton<ConnectorRegistry>();
        return services;
    }
}
