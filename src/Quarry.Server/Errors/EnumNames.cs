namespace Quarry.Server.Errors;

/// <summary>Reads an enum from a query parameter by its name only, as the JSON body does; a number is no name.</summary>
public static class EnumNames
{
    public static T Parse<T>(string value, string parameter) where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : throw new BadRequestProblem($"The query parameter '{parameter}' must be one of: {string.Join(", ", Enum.GetNames<T>())}; got '{value}'.");
}
