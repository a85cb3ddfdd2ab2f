namespace Quarry.Server.Operations.Export;

/// <summary>
/// Reads what an export writes from Quarry's store, as rows of <see cref="ExportTables"/>. Only what users see through
/// the API goes out (never a connection or a secret); archived checks and anomalies only when asked for.
/// </summary>
internal sealed class ExportReader(QuarryDb db)
{
    public async Task<EnrichmentRows> AnomaliesAsync(Datastore datastore, string prefix, ExportParameters parameters, DateTime now, CancellationToken ct)
    {
        var query = db.Anomalies.AsNoTracking().Where(a => a.DatastoreId == datastore.Id);
        if (parameters.ContainerIds is { } ids) query = query.Where(a => ids.Contains(a.ContainerId));
        if (!parameters.IncludeDeleted) query = query.Where(a => a.Status != AnomalyStatus.Archived);
        var rows = await (from a in query
                          join c in db.Containers on a.ContainerId equals c.Id
                          join q in db.QualityChecks on a.CheckId equals q.Id into checks
                          from q in checks.DefaultIfEmpty()
                          orderby a.Id
                          select new { Anomaly = a, Container = c.Name, Tags = q == null ? "[]" : q.TagsJson }).ToListAsync(ct);
        return Rows(prefix + ExportTables.AnomaliesSuffix, ExportTables.Anomalies, ["datastore_id", "id"], datastore.Id, rows.Select(r => new object?[]
        {
            r.Anomaly.Id, r.Anomaly.Uuid, r.Anomaly.CreatedAt, r.Anomaly.UpdatedAt, r.Anomaly.AnomalyType, r.Anomaly.Status, r.Anomaly.Rule,
            r.Anomaly.FieldsJson, r.Anomaly.CheckId, r.Anomaly.AssertedRecords, r.Anomaly.AnomalousRecords, r.Anomaly.Message, r.Anomaly.Description,
            r.Tags, r.Anomaly.ContainerId, r.Container, datastore.Id, datastore.Name, now,
        }));
    }

    public async Task<EnrichmentRows> ChecksAsync(Datastore datastore, string prefix, ExportParameters parameters, DateTime now, CancellationToken ct)
    {
        var query = from q in db.QualityChecks.AsNoTracking()
                    join c in db.Containers on q.ContainerId equals c.Id
                    where c.DatastoreId == datastore.Id
                    select new { Check = q, Container = c.Name };
        if (parameters.ContainerIds is { } ids) query = query.Where(r => ids.Contains(r.Check.ContainerId));
        if (!parameters.IncludeDeleted) query = query.Where(r => r.Check.Status != CheckStatus.Archived);
        var rows = await query.OrderBy(r => r.Check.Id).ToListAsync(ct);
        return Rows(prefix + ExportTables.ChecksSuffix, ExportTables.Checks, ["datastore_id", "id"], datastore.Id, rows.Select(r => new object?[]
        {
            r.Check.Id, r.Check.CreatedAt, r.Check.UpdatedAt, r.Check.Rule, r.Check.Status, r.Check.FieldsJson, r.Check.PropertiesJson, r.Check.Filter,
            r.Check.Coverage, r.Check.Description, r.Check.TagsJson, r.Check.AdditionalMetadataJson ?? "{}", r.Check.Inferred, r.Check.Uid,
            r.Check.ContainerId, r.Container, datastore.Id, datastore.Name, now,
        }));
    }

    /// <summary>Each field's latest profile: the table answers "what does this field look like now", its history stays in Quarry.</summary>
    public async Task<EnrichmentRows> FieldProfilesAsync(Datastore datastore, string prefix, ExportParameters parameters, DateTime now, CancellationToken ct)
    {
        var query = db.FieldProfiles.AsNoTracking()
            .Where(p => p.DatastoreId == datastore.Id && !db.FieldProfiles.Any(later => later.FieldId == p.FieldId && later.OperationId > p.OperationId));
        if (parameters.ContainerIds is { } ids) query = query.Where(p => ids.Contains(p.ContainerId));
        var rows = await (from p in query
                          join c in db.Containers on p.ContainerId equals c.Id
                          orderby p.ContainerId, p.FieldId
                          select new { Profile = p, Container = c.Name }).ToListAsync(ct);
        return Rows(prefix + ExportTables.FieldProfilesSuffix, ExportTables.FieldProfiles, ["datastore_id", "field_id"], datastore.Id, rows.Select(r =>
        {
            var p = r.Profile;
            return new object?[]
            {
                p.FieldId, p.FieldName, p.ContainerId, r.Container, datastore.Id, datastore.Name, p.OperationId, p.CreatedAt, p.DeclaredType, p.InferredType,
                p.Sampled, p.RecordCount, p.NullCount, p.DistinctCount, p.MinValue, p.MaxValue, p.Mean, p.StdDev, p.Q1, p.Median, p.Q3,
                (long?)p.MinLength, (long?)p.MaxLength, p.MeanLength, p.TopValuesJson, now,
            };
        }));
    }

    /// <summary>The templates (all, or those of <paramref name="ids"/>): they belong to no datastore, so the table is replaced whole.</summary>
    public async Task<EnrichmentRows> CheckTemplatesAsync(string prefix, IReadOnlyList<int>? ids, DateTime now, CancellationToken ct)
    {
        var query = db.Set<QualityCheckTemplate>().AsNoTracking();
        if (ids is not null) query = query.Where(t => ids.Contains(t.Id));
        var rows = await query.OrderBy(t => t.Id).ToListAsync(ct);
        return new EnrichmentRows(prefix + ExportTables.CheckTemplatesSuffix, ExportTables.CheckTemplates, ["id"], null, null, rows.Select(t => new object?[]
        {
            t.Id, t.CreatedAt, t.UpdatedAt, t.Rule, t.FieldsJson, t.PropertiesJson, t.Filter, t.Coverage, t.Description, t.TagsJson,
            t.AdditionalMetadataJson ?? "{}", now,
        }).ToList());
    }

    private static EnrichmentRows Rows(string table, IReadOnlyList<EnrichmentColumn> columns, IReadOnlyList<string> key, int datastoreId, IEnumerable<object?[]> rows) =>
        new(table, columns, key, "datastore_id", datastoreId, rows.ToList());
}
