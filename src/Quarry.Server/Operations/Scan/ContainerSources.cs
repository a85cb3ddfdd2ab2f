namespace Quarry.Server.Operations.Scan;

/// <summary>
/// What a scan statement reads FROM for a container: the table itself; a computed table's query as a subquery; a
/// computed join as the join of its two sides; and, when checks name computed fields, a subquery adding them as
/// expressions. Everything is evaluated by the source, in the same pass as the checks.
/// </summary>
internal sealed class ContainerSources(string schema, IReadOnlyDictionary<int, Container> containers, IReadOnlyDictionary<int, ComputedContainer> definitions)
{
    /// <summary>The FROM item of <paramref name="container"/>, aliased <paramref name="alias"/>, with the computed fields its checks name.</summary>
    public string From(SqlText sql, ScanContainer container, IEnumerable<ScanCheck> checks, string alias = "t")
    {
        var named = checks.SelectMany(c => c.Fields).ToHashSet(StringComparer.Ordinal);
        var computed = container.ComputedFields.Where(f => named.Contains(f.Name)).ToList();
        var table = Relation(sql, container.Container, depth: 0);
        if (computed.Count == 0) return $"{table} AS {alias}";
        // A computed field may read another: each is added in a layer of its own, in the order they were created.
        var from = $"{table} AS t0";
        foreach (var (field, i) in computed.Select((f, i) => (f, i)))
            from = $"(SELECT t{i}.*, {Transformation(sql, field)} AS {sql.Quote(field.Name)} FROM {from}) AS t{i + 1}";
        return $"(SELECT * FROM {from}) AS {alias}";
    }

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
        var selected = QualityJson.Strings(join.LeftSelectJson).Select(f => $"l.{sql.Quote(f)}")
            .Concat(QualityJson.Strings(join.RightSelectJson).Select(f => $"r.{sql.Quote(f)}"));
        var kind = join.JoinType switch { "left" => "LEFT JOIN", "right" => "RIGHT JOIN", "full" => "FULL JOIN", _ => "JOIN" };
        return $"(SELECT {string.Join(", ", selected)} FROM {Relation(sql, left, depth + 1)} AS l {kind} {Relation(sql, right, depth + 1)} AS r "
            + $"ON l.{sql.Quote(join.LeftField!)} = r.{sql.Quote(join.RightField!)})";
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
