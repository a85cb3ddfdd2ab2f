namespace Quarry.Server.Catalog;

/// <summary>
/// What a sync must write to make the stored catalog of one datastore match what its database holds.
/// Computed in memory from two reads (containers, fields), so an unchanged database plans no writes at all.
/// </summary>
public sealed class CatalogPlan
{
    public List<ContainerInfo> NewContainers { get; } = [];
    /// <summary>Existing containers to write again (type changed, back after removal, or fields changed), with their type.</summary>
    public List<(int Id, string Type)> ChangedContainers { get; } = [];
    public List<int> RemovedContainers { get; } = [];
    public List<int> DeletedContainers { get; } = [];
    public List<(int ContainerId, FieldInfo Field)> NewFields { get; } = [];
    public List<(int Id, FieldInfo Field)> ChangedFields { get; } = [];
    public List<int> RemovedFields { get; } = [];
    public List<int> DeletedFields { get; } = [];
    public int SourceContainers { get; private set; }

    public bool IsEmpty =>
        NewContainers.Count + ChangedContainers.Count + RemovedContainers.Count + DeletedContainers.Count
        + NewFields.Count + ChangedFields.Count + RemovedFields.Count + DeletedFields.Count == 0;

    public string Describe()
    {
        if (IsEmpty) return $"{SourceContainers} containers, no changes.";
        var parts = new List<string>
        {
            $"{NewContainers.Count} added",
            $"{ChangedContainers.Count} updated",
            $"{RemovedContainers.Count} removed",
        };
        if (DeletedContainers.Count > 0) parts.Add($"{DeletedContainers.Count} deleted (pruned)");
        var fieldChanges = NewContainers.Sum(c => c.Fields.Count) + NewFields.Count + ChangedFields.Count + RemovedFields.Count + DeletedFields.Count;
        return $"{SourceContainers} containers: {string.Join(", ", parts)}; {fieldChanges} field changes.";
    }

    private sealed record StoredContainer(int Id, string Name, string Type, bool Removed);

    private sealed record StoredField(int Id, int ContainerId, string Name, int Ordinal, string DataType, bool Nullable, bool Removed);

    /// <summary>Compares <paramref name="source"/> with the stored catalog. <paramref name="prune"/> deletes what is gone instead of marking it removed.</summary>
    public static async Task<CatalogPlan> BuildAsync(QuarryDb db, int datastoreId, IReadOnlyList<ContainerInfo> source, bool prune, CancellationToken ct)
    {
        // Computed containers (and a computed join's fields) are defined in Quarry, not found in the source:
        // a sync must neither mark them removed nor prune them, so they are left out of the comparison.
        var stored = await db.Containers.AsNoTracking()
            .Where(c => c.DatastoreId == datastoreId && c.ContainerType != ComputedKinds.Table && c.ContainerType != ComputedKinds.Join)
            .Select(c => new StoredContainer(c.Id, c.Name, c.ContainerType, c.Removed)).ToListAsync(ct);
        var storedFields = await ReadFieldsAsync(db, datastoreId, ct);
        // A source table that appeared under a computed container's name can't be stored beside it (names are
        // unique per datastore); the computed container keeps the name until someone renames one of them.
        var computedNames = await db.Containers.AsNoTracking()
            .Where(c => c.DatastoreId == datastoreId && (c.ContainerType == ComputedKinds.Table || c.ContainerType == ComputedKinds.Join))
            .Select(c => c.Name).ToListAsync(ct);
        if (computedNames.Count > 0) source = source.Where(c => !computedNames.Contains(c.Name)).ToList();
        var plan = new CatalogPlan { SourceContainers = source.Count };
        var storedByName = stored.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var fieldsByContainer = storedFields.ToLookup(f => f.ContainerId);
        var sourceNames = new HashSet<string>(StringComparer.Ordinal);

        foreach (var container in source)
        {
            if (!sourceNames.Add(container.Name)) continue;
            if (!storedByName.TryGetValue(container.Name, out var existing))
            {
                plan.NewContainers.Add(container);
                continue;
            }
            var fieldsChanged = plan.PlanFields(existing.Id, container.Fields, fieldsByContainer[existing.Id], prune);
            if (fieldsChanged || existing.Removed || existing.Type != container.Type) plan.ChangedContainers.Add((existing.Id, container.Type));
        }

        // A container a computed join reads is only marked removed, even when pruning: deleting it would leave the join
        // reading nothing (a join is Quarry's definition; the user decides what becomes of it).
        var joined = prune
            ? (await db.ComputedContainers.AsNoTracking().Where(d => d.LeftContainerId != null || d.RightContainerId != null)
                .Select(d => new { d.LeftContainerId, d.RightContainerId }).ToListAsync(ct))
                .SelectMany(d => new[] { d.LeftContainerId, d.RightContainerId }).OfType<int>().ToHashSet()
            : [];
        foreach (var gone in stored.Where(c => !sourceNames.Contains(c.Name)))
        {
            if (prune && !joined.Contains(gone.Id)) plan.DeletedContainers.Add(gone.Id);
            else if (!gone.Removed) plan.RemovedContainers.Add(gone.Id);
        }
        return plan;
    }

    /// <summary>
    /// Every field of the datastore. A plain data reader rather than EF: a wide schema has 100,000 fields and this
    /// read is most of the cost of an unchanged re-sync.
    /// </summary>
    private static async Task<List<StoredField>> ReadFieldsAsync(QuarryDb db, int datastoreId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT f.id, f.container_id, f.name, f.ordinal, f.data_type, f.nullable, f.removed
                FROM fields f JOIN containers c ON c.id = f.container_id
                WHERE c.datastore_id = @datastore
                """;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@datastore";
            parameter.Value = datastoreId;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var fields = new List<StoredField>();
            while (await reader.ReadAsync(ct))
                fields.Add(new StoredField(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                    reader.GetBoolean(5), reader.GetBoolean(6)));
            return fields;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>Plans the field changes of one existing container; true when there are any.</summary>
    private bool PlanFields(int containerId, IReadOnlyList<FieldInfo> source, IEnumerable<StoredField> stored, bool prune)
    {
        var changed = false;
        var storedByName = stored.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in source)
        {
            if (!names.Add(field.Name)) continue;
            if (!storedByName.TryGetValue(field.Name, out var existing))
            {
                NewFields.Add((containerId, field));
                changed = true;
            }
            else if (existing.Removed || existing.Ordinal != field.Ordinal || existing.DataType != field.DataType || existing.Nullable != field.Nullable)
            {
                ChangedFields.Add((existing.Id, field));
                changed = true;
            }
        }
        foreach (var gone in storedByName.Values.Where(f => !names.Contains(f.Name)))
        {
            if (prune) DeletedFields.Add(gone.Id);
            else if (!gone.Removed) RemovedFields.Add(gone.Id);
            else continue;
            changed = true;
        }
        return changed;
    }
}
