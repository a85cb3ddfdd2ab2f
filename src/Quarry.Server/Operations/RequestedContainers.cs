namespace Quarry.Server.Operations;

/// <summary>The <c>container_names</c> of a run request, checked the same way for every operation that takes them.</summary>
public static class RequestedContainers
{
    /// <summary>
    /// The names trimmed, each once, in the order given; null when the request names none. An empty or too long name
    /// is refused with its index; <paramref name="otherwise"/> says what leaving the list out does (e.g. "scan them all").
    /// </summary>
    public static List<string>? Clean(IReadOnlyList<string?>? given, string otherwise)
    {
        if (given is null) return null;
        var names = new List<string>();
        foreach (var (name, i) in given.Select((n, i) => (n?.Trim(), i)))
        {
            if (string.IsNullOrEmpty(name))
                throw InvalidInputProblem.Single($"container_names[{i}]", $"is empty; give a container's name, or leave container_names out to {otherwise}.");
            if (InputLimits.TooLong(name, InputLimits.NameLength) is { } tooLong) throw InvalidInputProblem.Single($"container_names[{i}]", tooLong);
            if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
        }
        if (names.Count == 0)
            throw InvalidInputProblem.Single("container_names", $"is empty; name at least one container, or leave container_names out to {otherwise}.");
        return names;
    }
}
