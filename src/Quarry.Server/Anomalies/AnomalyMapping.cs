namespace Quarry.Server.Anomalies;

/// <summary>Entities to responses: the names of containers, datastores and checks read in one query each for a whole page.</summary>
public static class AnomalyMapping
{
    public static async Task<List<AnomalyDto>> ToDtosAsync(QuarryDb db, IReadOnlyList<Anomaly> anomalies, CancellationToken ct)
    {
        var containers = await CatalogFields.RefsAsync(db, anomalies.Select(a => a.ContainerId), ct);
        var checkIds = anomalies.Where(a => a.CheckId is not null).Select(a => a.CheckId!.Value).Distinct().ToList();
        var descriptions = await db.QualityChecks.AsNoTracking().Where(c => checkIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Description }).ToDictionaryAsync(c => c.Id, c => c.Description, ct);
        return anomalies.Select(a =>
        {
            var container = containers[a.ContainerId];
            var fields = Fields(a.FieldsJson);
            var check = new FailedCheckRef(a.CheckId, a.Rule, fields, a.CheckId is int id ? descriptions.GetValueOrDefault(id) : null);
            return new AnomalyDto(
                a.Id, a.Uuid, a.Status, a.AnomalyType, AnomalyStatuses.IsArchived(a.Status),
                a.DatastoreId, new NamedRef(container.DatastoreId, container.DatastoreName), a.ContainerId, new NamedRef(container.Id, container.Name),
                a.CheckId, a.Rule, fields, a.AssertedRecords, a.AnomalousRecords, a.Message, a.Description,
                [new FailedCheckDto(check, a.AnomalousRecords, a.Message)],
                a.OperationId, a.LastOperationId, a.CreatedAt, a.UpdatedAt, a.StatusChangedAt);
        }).ToList();
    }

    public static async Task<AnomalyDto> ToDtoAsync(QuarryDb db, Anomaly anomaly, CancellationToken ct) =>
        (await ToDtosAsync(db, [anomaly], ct))[0];

    public static IReadOnlyList<string> Fields(string fieldsJson) => JsonSerializer.Deserialize<List<string>>(fieldsJson) ?? [];

    /// <summary>The stored sample rows, with every column name in the order the rows first hold them.</summary>
    public static SourceRecordsDto SourceRecords(Anomaly anomaly)
    {
        using var document = JsonDocument.Parse(anomaly.SourceRecordsJson);
        var records = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(r => r.Clone()).ToList()
            : [];
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in records.SelectMany(r => r.EnumerateObject()))
            if (seen.Add(property.Name)) columns.Add(property.Name);
        return new SourceRecordsDto(anomaly.Id, columns, Fields(anomaly.FieldsJson), records);
    }
}
