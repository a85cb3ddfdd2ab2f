namespace Quarry.Server.Operations.Profile;

/// <summary>
/// A computed table's fields. Saving one stores only its query (its fields are unknown until the query runs), so a
/// profile asks the source for the query's columns, profiles them, and records them as the container's fields, as a
/// sync records a table's.
/// </summary>
internal static class ComputedTableFields
{
    /// <summary>
    /// The columns <paramref name="relation"/> (the computed table's query as a derived table) returns, with a declared
    /// type from the values the source's driver reads; one row is read. Fields stored for it keep their ids.
    /// </summary>
    public static async Task<List<ProfileColumn>> ReadAsync(ISourceQueries source, ConnectionDetails details, SourceScope scope, ISqlDialect sql,
        IProfileDialect profile, string relation, Container container, CancellationToken ct)
    {
        var sink = new ColumnsOnly();
        await source.StreamRowsAsync(details, scope, new SourceStatement($"SELECT * FROM {relation} AS q {sql.Limit(1)}", []), sink, ct);
        var stored = container.Fields.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        // A name the query returns twice is profiled once: a statement reading the derived table could not tell the two apart.
        return sink.Columns.DistinctBy(c => c.Name, StringComparer.Ordinal)
            .Select((c, i) => new ProfileColumn(i, stored.GetValueOrDefault(c.Name), c.Name, DeclaredType(c.Type), profile.KindOf(DeclaredType(c.Type)))).ToList();
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
    private static string DeclaredType(Type type) => Type.GetTypeCode(type) switch
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

    /// <summary>Keeps a statement's columns; the one row read is not needed.</summary>
    private sealed class ColumnsOnly : ISourceRowSink
    {
        public IReadOnlyList<SourceColumn> Columns { get; private set; } = [];

        public int BatchSize => 1;

        public Task ColumnsAsync(IReadOnlyList<SourceColumn> columns, CancellationToken ct)
        {
            Columns = columns;
            return Task.CompletedTask;
        }

        public Task RowsAsync(IReadOnlyList<object?[]> rows, CancellationToken ct) => Task.CompletedTask;
    }
}
