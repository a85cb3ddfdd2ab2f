namespace Quarry.Server.Operations;

/// <summary>An operation type Quarry runs: its stored name and the other names a run request may give.</summary>
public sealed record OperationType(string Name, IReadOnlyList<string> Aliases);

/// <summary>The operation types that have a runner; a request for any other type is refused.</summary>
public sealed class OperationTypes(IEnumerable<OperationType> types)
{
    private readonly List<OperationType> _types = types.ToList();

    /// <summary>The stored type name for a requested name or alias (any case), or null when no runner serves it.</summary>
    public string? Resolve(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return null;
        var wanted = requested.Trim().ToLowerInvariant();
        return _types.FirstOrDefault(t => t.Name == wanted || t.Aliases.Contains(wanted))?.Name;
    }

    /// <summary>What a run request's <c>type</c> must be, e.g. <c>must be "sync" (also accepted: "catalog"); …</c>.</summary>
    public string Expected()
    {
        var names = _types.Select(t => $"\"{t.Name}\"").ToList();
        var aliases = _types.SelectMany(t => t.Aliases).Select(a => $"\"{a}\"").ToList();
        var also = aliases.Count > 0 ? $" (also accepted: {string.Join(", ", aliases)})" : "";
        return names.Count == 1
            ? $"must be {names[0]}{also}; it is the only operation Quarry runs."
            : $"must be one of {string.Join(", ", names)}{also}.";
    }
}

public static class OperationTypesSetup
{
    /// <summary>One line per operation type: its runner, its name and the other names a run request may use.</summary>
    public static IServiceCollection AddOperationRunner<TRunner>(this IServiceCollection services, string name, params string[] aliases)
        where TRunner : class, IOperationRunner
    {
        services.AddKeyedScoped<IOperationRunner, TRunner>(name);
        services.AddSingleton(new OperationType(name, aliases));
        return services;
    }
}
