using System.Text.RegularExpressions;

namespace Quarry.Server.Operations.Scan;

/// <summary>
/// What a scan statement reads FROM for a container: the table itself; a computed table's query as a subquery; a
/// computed join as the join of its two sides; and, when checks name computed fields, a subquery adding them as
/// expressions. Everything is evaluated by the source, in the same pass as the checks.
/// </summary>
internal sealed class ContainerSources(string schema, IReadOnlyDictionary<int, Container> containers, IReadOnlyDictionary<int, ComputedContainer> definitions)
{
    /// <summary>The sources of a datastore's containers: all of them (a join may read any), with the computed ones' definitions.</summary>
    public static async Task<ContainerSources> LoadAsync(QuarryDb db, int datastoreId, string schema, CancellationToken ct)
    {
        var containers = await db.Containers.AsNoTracking().Where(c => c.DatastoreId == datastoreId).ToDictionaryAsync(c => c.Id, ct);
        var definitions = await db.ComputedContainers.AsNoTracking().Where(d => containers.Keys.Contains(d.ContainerId)).ToDictionaryAsync(d => d.ContainerId, ct);
        return new ContainerSources(schema, containers, definitions);
    }

    /// <summary>Every container of the datastore, by id, removed ones included.</summary>
    public IReadOnlyDictionary<int, Container> Containers => containers;

    /// <summary>
    /// The FROM item of <paramref name="container"/>, aliased <paramref name="alias"/>, with the computed fields its checks
    /// name: as fields, or in their filter or expression.
    /// </summary>
    public string From(SqlText sql, ScanContainer container, IEnumerable<ScanCheck> checks, string alias = "t")
    {
        var list = checks.ToList();
        return From(sql, container, list.SelectMany(c => c.Fields), list.SelectMany(c => new[] { c.Filter, ContainerRules.Text(c.Properties, "expression") }), alias);
    }

    /// <summary>
    /// The FROM item of <paramref name="container"/> with the computed fields among <paramref name="fields"/> or named in
    /// <paramref name="expressions"/> (SQL written for the source, such as a filter), and those they read in turn.
    /// </summary>
    public string From(SqlText sql, ScanContainer container, IEnumerable<string> fields, IEnumerable<string?> expressions, string alias) =>
        $"{WithComputedFields(sql, container.Container, Named(container, fields, expressions))} AS {alias}";

    /// <summary>
    /// <paramref name="container"/>'s rows with <paramref name="computed"/> (in the order they were created) as columns
    /// after its own: what a materialize copies.
    /// </summary>
    public string WithComputedFields(SqlText sql, Container container, IReadOnlyList<ComputedField> computed)
    {
        var table = Relation(sql, container, depth: 0);
        if (computed.Count == 0) return table;
        // A computed field may read another: each is added in a layer of its own, in the order they were created.
        var from = $"{table} AS t0";
        foreach (var (field, i) in computed.Select((f, i) => (f, i)))
            from = $"(SELECT t{i}.*, {Transformation(sql, field)} AS {sql.Quote(field.Name)} FROM {from}) AS t{i + 1}";
        return $"(SELECT * FROM {from})";
    }

    /// <summary>
    /// The computed fields to add, in the order they were created: those named, those an expression mentions as a word
    /// (a name in quotes too; an extra one only costs its evaluation), and those these read.
    /// </summary>
    private static List<ComputedField> Named(ScanContainer container, IEnumerable<string> fields, IEnumerable<string?> expressions)
    {
        if (container.ComputedFields.Count == 0) return [];
        var named = fields.ToHashSet(StringComparer.Ordinal);
        var texts = expressions.OfType<string>().ToList();
        bool Wanted(ComputedField f) => named.Contains(f.Name) || texts.Any(t => Mentions(t, f.Name));
        var chosen = container.ComputedFields.Where(Wanted).ToHashSet();
        for (var grew = true; grew;)
        {
            var reads = chosen.SelectMany(f => QualityJson.Strings(f.SourceFieldsJson)).ToHashSet(StringComparer.Ordinal);
            var expressionsRead = chosen.Select(f => QualityJson.Properties(f.PropertiesJson).GetValueOrDefault("expression"))
                .Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            var more = container.ComputedFields.Where(f => !chosen.Contains(f) && (reads.Contains(f.Name) || expressionsRead.Any(t => Mentions(t, f.Name)))).ToList();
            chosen.UnionWith(more);
            grew = more.Count > 0;
        }
        return container.ComputedFields.Where(chosen.Contains).ToList();
    }

    private static bool Mentions(string sql, string name) =>
        Regex.IsMatch(sql, $@"(?<![\p{{L}}\p{{N}}_$]){Regex.Escape(name)}(?![\p{{L}}\p{{N}}_$])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>What a statement reads FROM for <paramref name="container"/>'s own rows, without computed fields (a materialize copies them).</summary>
    public string Relation(SqlText sql, Container container) => Relation(sql, container, depth: 0);

    private string Relation(SqlText sql, Container container, int depth)
    {
        if (depth > 8) throw new ScanCheckException($"Computed container '{container.Name}' reads itself through other computed containers; it can't be scanned.");
        if (!ComputedKinds.IsComputed(container.ContainerType)) return sql.Dialect.QualifiedTable(schema, container.Name);
        if (!definitions.TryGetValue(container.Id, out var definition))
            throw new ScanCheckException($"Computed container '{container.Name}' has no definition; recreate it.");
        if (container.ContainerType == ComputedKinds.Table)
            return $"({definition.Query!.Trim().TrimEnd(';').TrimEnd()})";
        return Join(sql, container, definition, depth);
    }

    private string Join(SqlText sql, Container container, ComputedContainer join, int depth)
    {
        var left = Side(join.LeftContainerId, container);
        var right = Side(join.RightContainerId, container);
        // A select clause was resolved to the sides' fields when the join was saved: those names reach the SQL quoted; its
        // expressions, the where clause and the group by clause are the author's SQL, with the join's prefixed names resolved.
        string Sql(string clause) => JoinClauses.ToSql(clause, join.LeftPrefix, join.RightPrefix, sql.Quote);
        var selected = join.SelectJson is not null
            ? JoinSelection.FromJson(join.SelectJson).Select(s => s.Side switch
            {
                "left" => $"l.{sql.Quote(s.Field)}",
                "right" => $"r.{sql.Quote(s.Field)}",
                _ => Sql(s.Field),
            } + $" AS {sql.Quote(s.Name)}")
            : QualityJson.Strings(join.LeftSelectJson).Select(f => $"l.{sql.Quote(f)}")
                .Concat(QualityJson.Strings(join.RightSelectJson).Select(f => $"r.{sql.Quote(f)}"));
        var kind = join.JoinType switch { "left" => "LEFT JOIN", "right" => "RIGHT JOIN", "full" => "FULL JOIN", _ => "JOIN" };
        var where = join.WhereClause is { } filter ? $" WHERE ({Sql(filter)})" : "";
        var groupBy = join.GroupByClause is { } grouping ? $" GROUP BY {Sql(grouping)}" : "";
        return $"(SELECT {string.Join(", ", selected)} FROM {Relation(sql, left, depth + 1)} AS l {kind} {Relation(sql, right, depth + 1)} AS r "
            + $"ON l.{sql.Quote(join.LeftField!)} = r.{sql.Quote(join.RightField!)}{where}{groupBy})";
    }

    private Container Side(int? id, Container join) =>
        id is int side && containers.TryGetValue(side, out var found) && !found.Removed
            ? found
            : throw new ScanCheckException($"A side of computed join '{join.Name}' no longer exists; change the join.");

    /// <summary>A computed field's transformation as an expression over the row.</summary>
    private static string Transformation(SqlText sql, ComputedField field)
    {
        var sources = QualityJson.Strings(field.SourceFieldsJson);
        var properties = QualityJson.Properties(field.PropertiesJson);
        var dialect = sql.Dialect;
        string Source() => dialect.AsText(sql.Quote(sources[0]));
        return field.Transformation switch
        {
            "cast" => dialect.CastTo(Source(), properties["target_type"].GetString()!),
            // Letters, digits and spaces survive; \w and \s read alike in PostgreSQL's, MySQL's and .NET's engines.
            "cleanedEntity" => $"lower(trim({dialect.RegexReplace(Source(), sql.Bind(@"[^\w\s]|_"), sql.Bind(""))}))",
            // "(12)" is -12; everything but digits, the point, an exponent and a sign is dropped ("$1,234.50" is 1234.50).
            "convertFormattedNumeric" => $"(CASE WHEN trim({Source()}) LIKE {sql.Bind("(%)")} THEN -1 ELSE 1 END * "
                + dialect.CastTo(dialect.RegexReplace(Source(), sql.Bind("[^0-9.eE+-]"), sql.Bind("")), "fractional") + ")",
            "customExpression" => $"({properties["expression"].GetString()})",
            _ => throw new ScanCheckException(string.Create(CultureInfo.InvariantCulture, $"Computed field '{field.Name}' uses transformation '{field.Transformation}', which a scan can't evaluate.")),
        };
    }
}

/// <summary>A check (or every check of a container) that can't be evaluated; the message says why, and the check is unasserted.</summary>
internal sealed class ScanCheckException(string message) : Exception(message);
