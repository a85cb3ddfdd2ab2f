namespace Quarry.Server.Quality;

/// <summary>
/// Builds quality check responses. A check stores its fields by name; a response gives each with the id and type the
/// last sync recorded, read for a whole page in one query.
/// </summary>
public static class QualityCheckResponses
{
    public static async Task<Page<QualityCheckDto>> PageAsync(QuarryDb db, List<QualityCheck> rows, int total, PageQuery paging, CancellationToken ct)
    {
        var fields = await FieldsAsync(db, rows.Select(r => r.ContainerId), ct);
        return await ContainerScoped.PageAsync(db, rows, total, paging, (check, container) => ToDto(check, container, fields), ct);
    }

    public static async Task<QualityCheckDto> ResponseAsync(QuarryDb db, QualityCheck check, CancellationToken ct)
    {
        var fields = await FieldsAsync(db, [check.ContainerId], ct);
        return await ContainerScoped.ResponseAsync(db, check, (c, container) => ToDto(c, container, fields), ct);
    }

    public static async Task<QualityCheckDto> ResponseAsync(QuarryDb db, QualityCheck check, ContainerRef container, CancellationToken ct) =>
        ToDto(check, container, await FieldsAsync(db, [check.ContainerId], ct));

    /// <summary>Responses for many checks, with two queries whatever their number.</summary>
    public static async Task<List<QualityCheckDto>> ManyAsync(QuarryDb db, List<QualityCheck> checks, CancellationToken ct)
    {
        var fields = await FieldsAsync(db, checks.Select(c => c.ContainerId), ct);
        var containers = await CatalogFields.RefsAsync(db, checks.Select(c => c.ContainerId), ct);
        return checks.Select(c => ToDto(c, containers[c.ContainerId], fields)).ToList();
    }

    private static async Task<Dictionary<(int Container, string Name), CheckFieldDto>> FieldsAsync(QuarryDb db, IEnumerable<int> containerIds, CancellationToken ct)
    {
        var ids = containerIds.Distinct().ToList();
        var rows = await db.Fields.AsNoTracking().Where(f => ids.Contains(f.ContainerId) && !f.Removed)
            .Select(f => new { f.ContainerId, f.Id, f.Name, f.DataType }).ToListAsync(ct);
        var found = new Dictionary<(int, string), CheckFieldDto>();
        foreach (var f in rows) found.TryAdd((f.ContainerId, f.Name), new CheckFieldDto(f.Id, f.Name, f.DataType));
        return found;
    }

    private static QualityCheckDto ToDto(QualityCheck check, ContainerRef container, Dictionary<(int Container, string Name), CheckFieldDto> fields)
    {
        var tags = QualityJson.Strings(check.TagsJson);
        return new QualityCheckDto(
            check.Id, check.Rule, check.Rule, check.ContainerId, container,
            QualityJson.Strings(check.FieldsJson).Select(n => fields.GetValueOrDefault((check.ContainerId, n)) ?? new CheckFieldDto(null, n, null)).ToList(),
            QualityJson.Element(check.PropertiesJson), check.Filter, check.Coverage, check.Description,
            tags, tags.Select(t => new TagNameDto(t)).ToList(), check.Status, check.Inferred,
            QualityJson.Element(check.AdditionalMetadataJson ?? "{}"), check.Uid, check.CreatedAt, check.UpdatedAt);
    }
}

/// <summary>A check's <c>additional_metadata</c>: any JSON object, stored as given; Quarry never reads inside it.</summary>
public static class CheckMetadata
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The text to store, or null for an empty or null object.</summary>
    public static string? Store(JsonElement metadata)
    {
        if (metadata.ValueKind == JsonValueKind.Null) return null;
        if (metadata.ValueKind != JsonValueKind.Object)
            throw InvalidInputProblem.Single("additional_metadata", $"must be a JSON object ({{\"key\": \"value\"}}), not {metadata.ValueKind.ToString().ToLowerInvariant()}.");
        var text = metadata.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
            throw InvalidInputProblem.Single("additional_metadata", $"is larger than {MaxBytes / 1024} KB; keep large documents elsewhere and store a link.");
        return metadata.EnumerateObject().Any() ? text : null;
    }
}
