namespace Quarry.Server.Quality;

/// <summary>Lists and property bags are stored as JSON text; written with sorted keys so equal values store equal bytes.</summary>
public static class QualityJson
{
    public static List<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string Of(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    public static string Of(IReadOnlyDictionary<string, JsonElement>? properties) =>
        JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(
            (properties ?? new Dictionary<string, JsonElement>()).Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal));

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static Dictionary<string, JsonElement> Properties(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
}
