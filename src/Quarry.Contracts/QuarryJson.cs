namespace Quarry.Contracts;

public static class QuarryJson
{
    /// <summary>
    /// The JSON conventions of the API: snake_case names, enums as their names only. A number is refused: it would
    /// store a role or permission no name stands for ({"role": 99}), which the access rules never planned for.
    /// </summary>
    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }
}
