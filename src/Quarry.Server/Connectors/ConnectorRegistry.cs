namespace Quarry.Server.Connectors;

/// <summary>Finds the connector for a connection type. Registered as a singleton with every <see cref="IConnector"/>.</summary>
public sealed class ConnectorRegistry(IEnumerable<IConnector> connectors)
{
    private readonly Dictionary<string, IConnector> _byType = connectors.ToDictionary(c => c.Descriptor.Type, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Types => _byType.Keys;

    public IEnumerable<ConnectorDescriptor> Descriptors => _byType.Values.Select(c => c.Descriptor);

    public IConnector For(string type) =>
        _byType.TryGetValue(type, out var connector)
            ? connector
            : throw new BadRequestProblem($"No connector for type '{type}'; supported: {string.Join(", ", _byType.Keys)}.");

    /// <summary>The descriptor for a type or one of its aliases (any case, surrounding blanks ignored), or null.</summary>
    public ConnectorDescriptor? Find(string? typeOrAlias)
    {
        var wanted = typeOrAlias?.Trim();
        if (string.IsNullOrEmpty(wanted)) return null;
        return Descriptors.FirstOrDefault(d =>
            string.Equals(d.Type, wanted, StringComparison.OrdinalIgnoreCase)
            || d.Aliases.Contains(wanted, StringComparer.OrdinalIgnoreCase));
    }
}
