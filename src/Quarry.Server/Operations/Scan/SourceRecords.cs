using System.Text.Json.Nodes;

namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Failing rows as an anomaly keeps them: a JSON array of objects, field name to value. Numbers and booleans stay
/// what they are; everything else is written as text, a long text cut to <see cref="MaxTextLength"/> characters
/// (marked with an ellipsis) and binary data as its size, so a huge value never bloats the store.
/// </summary>
internal static class SourceRecords
{
    public const int MaxTextLength = 1000;

    public static string ToJson(SourceRows? rows)
    {
        var array = new JsonArray();
        if (rows is null) return array.ToJsonString();
        foreach (var row in rows.Rows)
        {
            var record = new JsonObject();
            for (var i = 0; i < rows.Columns.Count; i++)
                // A name repeated by a computed join's select lists keeps its first value.
                if (!record.ContainsKey(rows.Columns[i])) record[rows.Columns[i]] = Value(row[i]);
            array.Add(record);
        }
        return array.ToJsonString();
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null or DBNull => null,
        bool b => JsonValue.Create(b),
        byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        float or double => Finite(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        decimal d => JsonValue.Create(d),
        byte[] bytes => JsonValue.Create($"({bytes.Length:N0} bytes)"),
        DateTime t => JsonValue.Create(t.ToString(t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        System.Collections.IEnumerable items and not string => JsonValue.Create(Truncate("[" + string.Join(", ", items.Cast<object?>()) + "]")),
        _ => JsonValue.Create(Truncate(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")),
    };

    private static JsonNode? Finite(double d) => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));

    private static string Truncate(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";
}
