namespace Quarry.Server.Operations.Scan;

/// <summary>An active check as a scan reads it: its rule, fields and properties parsed once.</summary>
internal sealed record ScanCheck(
    QualityCheck Check,
    IReadOnlyList<string> Fields,
    IReadOnlyDictionary<string, JsonElement> Properties)
{
    public string Rule => Check.Rule;
    public string? Filter => string.IsNullOrWhiteSpace(Check.Filter) ? null : Check.Filter.Trim();

    public static ScanCheck Of(QualityCheck check) => new(check, QualityJson.Strings(check.FieldsJson), QualityJson.Properties(check.PropertiesJson));
}

/// <summary>
/// One container to scan, as the store describes it: its synced fields (with those a sync found gone), its computed
/// fields and its active checks.
/// </summary>
internal sealed record ScanContainer(
    Container Container,
    IReadOnlyDictionary<string, Field> Fields,
    IReadOnlyList<ComputedField> ComputedFields,
    IReadOnlyList<ScanCheck> Checks)
{
    /// <summary>Why a check's field can't be read, or null when every field is there.</summary>
    public string? MissingField(ScanCheck check)
    {
        foreach (var name in check.Fields)
        {
            if (ComputedFields.Any(f => f.Name == name)) continue;
            if (Fields.TryGetValue(name, out var field) && !field.Removed) continue;
            // A container cataloged without any field (a computed table) is checked by the source itself.
            if (Fields.Count == 0) continue;
            return Fields.ContainsKey(name)
                ? $"Field '{name}' no longer exists in container '{Container.Name}' (the last sync found it gone); the check was not evaluated. Change or delete the check."
                : $"Field '{name}' is not a field of container '{Container.Name}'; the check was not evaluated. Sync the datastore, then change or delete the check.";
        }
        return null;
    }

    /// <summary>True when the field holds text, so a text test needs no conversion; a field of unknown type is converted.</summary>
    public bool IsText(string name)
    {
        if (ComputedFields.FirstOrDefault(f => f.Name == name) is { } computed)
            return computed.Transformation == "cleanedEntity"
                || (computed.Transformation == "cast" && QualityJson.Properties(computed.PropertiesJson).GetValueOrDefault("target_type").ToString() == "string");
        if (!Fields.TryGetValue(name, out var field)) return false;
        var type = field.DataType.ToLowerInvariant();
        return type.Contains("char") || type.Contains("text") || type.Contains("string") || type.Contains("clob");
    }
}
