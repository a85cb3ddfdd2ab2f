namespace Quarry.Server.Operations.Profile;

/// <summary>
/// A computed table's fields. Saving one stores only its query (its fields are unknown until the query runs), so a
/// profile asks the source for the query's columns, profiles them, and records them as the container's fields, as a
/// sync records a table's.
/// </summary>
internal static class ComputedTableFields
{
    /// <summary>Rows read for a computed table's columns: a column's type is that of the first value it holds among them.</summary>
    private const int TypeRows = 100;

    /// <summary>
    /// The columns <paramref name="relation"/> (the computed table's query as a derived table) returns, each with a
    /// declared type from the first value the source's driver reads in it (text when the rows read hold none).
    /// Fields stored for it keep their ids.
    /// </summary>
    public static async Task<List<ProfileColumn>> ReadAsync(ISourceQueries source, ConnectionDetails details, SourceScope scope, ISqlDialect sql,
        IProfileDialect profile, string relation, Container container, CancellationToken ct)
    {
        var read = await source.ReadRowsAsync(details, scope, new SourceStatement($"SELECT * FROM {relation} AS q {sql.Limit(TypeRows)}", []), TypeRows, ct);
        var stored = container.Fields.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        // A name the query returns twice is profiled once: a statement reading the derived table could not tell the two apart.
        return read.Columns.Select((name, i) => (name, type: DeclaredType(read.Rows.Select(r => r[i]).FirstOrDefault(v => v is not null)?.GetType())))
            .DistinctBy(c => c.name, StringComparer.Ordinal)
            .Select((c, i) => new ProfileColumn(i, stored.GetValueOrDefault(c.name), c.name, c.type, profile.KindOf(c.type))).ToList();
    }

    /// <summary>
    /// Records the profiled columns as <paramref name="container"/>'s fields: new ones added, the others updated, those
    /// the query no longer returns marked removed. Answers <paramref name="stats"/> with every field's id.
    /// </summary>
    public static async Task<ContainerStats> RecordAsync(QuarryDb db, Container container, ContainerStats stats, DateTime now, CancellationToken ct)
    {
        var stored = await db.Fields.Where(f => f.ContainerId == container.Id).ToListAsync(ct);
        var columns = stats.Fields.Select(f => f.Column).ToList();
        foreach (var column in columns)
        {
            var field = stored.FirstOrDefault(f => f.Name == column.Name);
            if (field is null)
            {
                field = new Field { ContainerId = container.Id, Name = column.Name, DataType = column.DeclaredType, Nullable = true, CreatedAt = now };
                db.Fields.Add(field);
                stored.Add(field);
            }
            if (field.Ordinal != column.Index + 1 || field.DataType != column.DeclaredType || field.Removed || field.Id == 0)
                (field.Ordinal, field.DataType, field.Removed, field.UpdatedAt) = (column.Index + 1, column.DeclaredType, false, now);
        }
        foreach (var gone in stored.Where(f => !f.Removed && !columns.Any(c => c.Name == f.Name)))
            (gone.Removed, gone.UpdatedAt) = (true, now);
        await db.SaveChangesAsync(ct);
        var ids = stored.Where(f => !f.Removed).GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        return stats with { Fields = stats.Fields.Select(f => f with { Column = f.Column with { FieldId = ids[f.Column.Name] } }).ToList() };
    }

    /// <summary>A type name the dialects' <see cref="IProfileDialect.KindOf"/> reads, for the .NET type a driver answers.</summary>
    private static string DeclaredType(Type? type) => type is null ? "text" : Type.GetTypeCode(type) switch
    {
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => "bigint",
        TypeCode.Single or TypeCode.Double => "double",
        TypeCode.Decimal => "decimal",
        TypeCode.Boolean => "boolean",
        TypeCode.DateTime => "timestamp",
        TypeCode.String => "text",
        _ when type == typeof(DateTimeOffset) => "timestamp",
        _ when type == typeof(DateOnly) => "date",
        _ when type == typeof(Guid) => "uuid",
        // Bytes, arrays, intervals, documents: counted only.
        _ => "other",
    };
}
