using Quarry.Server.Errors;

namespace Quarry.Server.Connectors;

/// <summary>Finds the connector for a connection type. Registered as a singleton with every <see cref="IConnector"/>.</summary>
public sealed class ConnectorRegistry(IEnumerable<IConnector> connectors)
{
    private readonly Dictionary<string, IConnector> _byType = connectors.ToDictionary(c => c.Type, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Types => _byType.Keys;

    public IConnector For(string type) =>
        _byType.TryGetValue(type, out var connector)
            ? connector
            : throw new BadRequestProblem($"No connector for type '{type}'; supported: {string.Join(", ", _byType.Keys)}.");
}
