using System.Text.Json.Serialization;

namespace Quarry.Server.Errors;

/// <summary>
/// Refuses the NUL character (<c>\u0000</c>) anywhere in a request body's text: PostgreSQL cannot store it in text
/// (the request failed with a 500 there) while SQLite kept it, so the same body behaved differently per store. A
/// NUL is never meant in a name, a description or a parameter, so both stores answer 400 naming the field.
/// </summary>
internal static class NulCharacters
{
    public static void Register(JsonSerializerOptions json)
    {
        json.Converters.Add(new StringConverter());
        json.Converters.Add(new ElementConverter());
    }

    /// <summary>The same for query parameters (<c>?name=%00</c>), which reach the store as filter values.</summary>
    public static IApplicationBuilder RejectNulInQuery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        foreach (var (name, values) in context.Request.Query)
            if (values.Any(v => v?.Contains('\0') == true))
                throw InvalidInputProblem.Single(name, "contains the NUL character (\\u0000), which no Quarry text may hold; remove it.");
        await next(context);
    });

    /// <summary>Raised while reading the body; <see cref="JsonProblemText"/> names the field from the path System.Text.Json adds.</summary>
    public sealed class Found() : JsonException("contains the NUL character (\\u0000)");

    private static string Checked(string value) => value.Contains('\0') ? throw new Found() : value;

    private sealed class StringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Checked(reader.GetString()!) : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }

    /// <summary>Free-form values (connection parameters, check properties) are read as JSON elements; their text is checked too.</summary>
    private sealed class ElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            return HasNul(element) ? throw new Found() : element;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static bool HasNul(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!.Contains('\0'),
            JsonValueKind.Array => element.EnumerateArray().Any(HasNul),
            JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0') || HasNul(p.Value)),
            _ => false,
        };
    }
}
