namespace Quarry.Server.Errors;

/// <summary>
/// The enums a request may carry, so an error can list their names: the wire types' (Role, TeamPermission, in
/// Quarry.Contracts) and any the server declares itself.
/// </summary>
internal static class RequestEnums
{
    private static readonly Type[] All =
        [.. new[] { typeof(QuarryJson).Assembly, typeof(RequestEnums).Assembly }.SelectMany(a => a.GetTypes()).Where(t => t.IsEnum)];

    /// <summary>By full name, as System.Text.Json writes it ("Quarry.Contracts.Access.TeamPermission").</summary>
    public static Type? ByFullName(string name) => All.FirstOrDefault(t => t.FullName == name);

    /// <summary>By short name, as route binding writes it ("TeamPermission").</summary>
    public static Type? ByName(string name) => All.FirstOrDefault(t => t.Name == name);
}
