using System.Text.Json.Nodes;

namespace Quarry.Cli.Config;

/// <summary>
/// JSON Schemas for editors (yaml-language-server), generated from the same <see cref="FieldSpec"/>s that
/// validate files, so the editor and <c>config import</c> never disagree.
/// </summary>
public static class ConfigSchemas
{
    public static string For(ConfigFileKind kind)
    {
        var properties = new JsonObject();
        foreach (var field in kind.Fields)
        {
            properties[field.Key] = Property(field);
            if (field.Alias is not null) properties[field.Alias] = Property(field with { Description = $"Another spelling of '{field.Key}'." });
        }
        var required = new JsonArray();
        foreach (var field in kind.Fields.Where(f => f.Required && f.Alias is null)) required.Add(field.Key);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://quarry.dev/schemas/{kind.SchemaFileName}",
            ["title"] = kind.Title,
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
            ["required"] = required,
        };
        var aliased = kind.Fields.Where(f => f.Required && f.Alias is not null).ToList();
        if (aliased.Count > 0)
            schema["allOf"] = new JsonArray(aliased.Select(f => (JsonNode)new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["required"] = new JsonArray(f.Key) },
                    new JsonObject { ["required"] = new JsonArray(f.Alias) }),
            }).ToArray());
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject Property(FieldSpec field)
    {
        var property = new JsonObject { ["description"] = field.Description };
        switch (field.Type)
        {
            case FieldType.String:
                property["type"] = "string";
                break;
            case FieldType.Integer:
                // A ${VAR} is text until it is resolved, so editors accept it where a number goes.
                property["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string", ["pattern"] = @"\$\{[A-Za-z_][A-Za-z0-9_]*\}" });
                break;
            case FieldType.Boolean:
                property["type"] = "boolean";
                break;
            case FieldType.StringList:
                property["type"] = "array";
                property["items"] = new JsonObject { ["type"] = "string" };
                break;
            case FieldType.Map:
                property["type"] = "object";
                property["additionalProperties"] = Scalar();
                break;
            case FieldType.Number:
                property["type"] = "number";
                break;
            case FieldType.Properties:
                property["type"] = "object";
                property["additionalProperties"] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(Scalar(), new JsonObject { ["type"] = "array", ["items"] = Scalar() }),
                };
                break;
        }
        if (field.Secret) property["writeOnly"] = true;
        return property;
    }

    /// <summary>A value of a map or properties key: text, a number or a boolean.</summary>
    private static JsonObject Scalar() => new() { ["type"] = new JsonArray("string", "number", "boolean") };
}
