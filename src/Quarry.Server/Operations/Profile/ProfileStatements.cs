using System.Text;
using System.Text.RegularExpressions;

namespace Quarry.Server.Operations.Profile;

/// <summary>A column to profile: its place in the statements (<c>c0</c>, <c>c1</c>…), its catalog row and its kind.</summary>
public sealed record ProfileColumn(int Index, int FieldId, string Name, string DeclaredType, FieldKind Kind)
{
    /// <summary>Values of other kinds (binary, JSON, arrays) are only counted.</summary>
    public bool HasValues => Kind != FieldKind.Other;
}

/// <summary>
/// Composes a container's profile statements from the dialect's answers. Every statement reads the same source: the
/// table, or a sample of it, with its columns renamed <c>c0</c>, <c>c1</c>… so that the rest never quotes a user's name
/// again. Values travel as parameters; the only literals are Quarry's own numbers.
/// </summary>
/// <param name="relation">What the statements read FROM: a table, or a computed container's SQL as a derived table.</param>
/// <param name="isTable">
/// Whether <paramref name="relation"/> is a table: only a table has a row estimate and a sample clause; a derived
/// table's sample is its first rows.
/// </param>
public sealed class ProfileStatements(ISqlDialect sql, IProfileDialect profile, string relation, bool isTable, IReadOnlyList<ProfileColumn> columns)
{
    /// <summary>How many most frequent values a profile keeps per field.</summary>
    public const int TopValues = 10;

    private readonly List<SourceParameter> _parameters = [];

    public IReadOnlyList<ProfileColumn> Columns => columns;

    private static string C(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    private string Col(int index) => sql.QuoteIdentifier(C(index));

    private string Parameter(string name, object value)
    {
        _parameters.RemoveAll(p => p.Name == name);
        _parameters.Add(new SourceParameter(name, value));
        return sql.ParameterMarker(name);
    }

    // Only the parameters the text names: some drivers refuse a parameter the statement does not use.
    private SourceStatement Statement(string text) =>
        new(text, [.. _parameters.Where(p => Regex.IsMatch(text, Regex.Escape(sql.ParameterMarker(p.Name)) + @"(?!\w)"))]);

    /// <summary>How many of a container's statements may run at once (the dialect's answer).</summary>
    public int ConcurrentStatements => Math.Max(1, profile.ConcurrentStatements);

    /// <summary>Whether the dialect samples a number of rows directly (no estimate of the table's size needed).</summary>
    public bool SamplesByRows => isTable && profile.SampleRowsClause(1) is not null;

    /// <summary>The statement that answers the table's estimated row count, when the dialect has one.</summary>
    public SourceStatement? EstimatedRows() =>
        isTable && profile.EstimatedRows(sql.ParameterMarker("tbl")) is { } text ? new(text, [new SourceParameter("tbl", relation)]) : null;

    /// <summary>
    /// The rows every statement reads: the whole table, or about <paramref name="rows"/> of them: a sample clause
    /// for <paramref name="percent"/> of the table when the dialect has one and a percentage is given, else its first rows.
    /// </summary>
    public string Source(long? rows, double? percent)
    {
        var select = string.Join(", ", columns.Select(c => $"{sql.QuoteIdentifier(c.Name)} AS {Col(c.Index)}"));
        var sample = !isTable ? " AS q"
            : rows is long wanted && profile.SampleRowsClause(wanted) is { } byRows ? " " + byRows
            : percent is double p && profile.SampleClause(Parameter("pct_" + (rows ?? 0), p)) is { } clause ? " " + clause : "";
        var limit = rows is long n ? " " + sql.Limit((int)Math.Min(n, int.MaxValue)) : "";
        return $"(SELECT {select} FROM {relation}{sample}{limit})";
    }

    /// <summary>
    /// Each column's most frequent values with their counts, how many distinct values it holds and how many of them occur
    /// once, in one statement over <paramref name="source"/>. For the <paramref name="plan"/> (a small bounded read) the
    /// rows are read once and kept, and a row for column -1 counts them; otherwise each column reads the source itself,
    /// so the caller keeps the columns few (those with few distinct values).
    /// </summary>
    public SourceStatement Frequencies(string source, IEnumerable<ProfileColumn> of, bool plan)
    {
        if (!plan && profile.GroupingSets) return GroupedFrequencies(source, of.ToList());
        var branches = new List<string>();
        if (plan) branches.Add($"SELECT -1 AS col, NULL AS v, count(*) AS n FROM f");
        foreach (var c in of)
            branches.Add($"SELECT {c.Index} AS col, {sql.AsText(Col(c.Index))} AS v, count(*) AS n FROM f WHERE {Col(c.Index)} IS NOT NULL GROUP BY {sql.AsText(Col(c.Index))}");
        var text = $"""
            WITH f AS {profile.CteHint(materialized: plan)}(SELECT * FROM {source} s)
            {Ranked(string.Join("\n  UNION ALL ", branches))}
            """;
        return Statement(text);
    }

    /// <summary>
    /// Exact value counts of several columns in one read of the source: one grouping set per column, so the database
    /// hashes every column's values in the same pass instead of reading the rows once per column.
    /// </summary>
    private SourceStatement GroupedFrequencies(string source, IReadOnlyList<ProfileColumn> of)
    {
        // Grouped by the value itself where its text is one per value (not decimals: 1.5 and 1.50 are equal), so only
        // the groups are turned into text, not every row.
        string Key(ProfileColumn c) => c.Kind is FieldKind.Text or FieldKind.Boolean or FieldKind.Date or FieldKind.Timestamp
            || c.Kind == FieldKind.Number && (c.DeclaredType.Contains("int", StringComparison.OrdinalIgnoreCase) || c.DeclaredType.Contains("serial", StringComparison.OrdinalIgnoreCase))
            ? Col(c.Index) : sql.AsText(Col(c.Index));
        string Cases(Func<ProfileColumn, string> then) =>
            "CASE " + string.Join(" ", of.Select(c => $"WHEN GROUPING({Key(c)}) = 0 THEN {then(c)}")) + " END";
        var grouped = $"""
            SELECT * FROM (
              SELECT {Cases(c => c.Index.ToString(CultureInfo.InvariantCulture))} AS col, {Cases(c => sql.AsText(Key(c)))} AS v, count(*) AS n
              FROM {source} s GROUP BY GROUPING SETS ({string.Join(", ", of.Select(c => $"({Key(c)})"))})
            ) gs WHERE v IS NOT NULL
            """;
        return Statement(Ranked(grouped));
    }

    /// <summary>Rows (col, v, n) ranked per column: the top values, with each column's distinct, once-seen and non-null counts.</summary>
    private static string Ranked(string counts) => $"""
        SELECT col, v, n, d, singles, nonnull FROM (
          SELECT col, v, n,
            count(*) OVER (PARTITION BY col) AS d,
            sum(CASE WHEN n = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY col) AS singles,
            sum(n) OVER (PARTITION BY col) AS nonnull,
            row_number() OVER (PARTITION BY col ORDER BY n DESC, v) AS r
          FROM ({counts}) g
        ) x WHERE r <= {TopValues}
        """;

    /// <summary>
    /// One pass over the source: the row count, then the <paramref name="items"/> in order (all of a layout's, or one of
    /// its <see cref="AggregateLayout.Parts"/>).
    /// </summary>
    public SourceStatement Aggregates(string source, IEnumerable<AggregateItem> items)
    {
        var text = new StringBuilder("SELECT count(*)");
        foreach (var item in items) text.Append(",\n  ").Append(item.Sql);
        text.Append($"\nFROM {source} s");
        return Statement(text.ToString());
    }

    /// <summary>What the aggregate pass computes, in order: each item says which column and statistic it is.</summary>
    public AggregateLayout Layout(IReadOnlySet<int> distinctOf, IReadOnlyDictionary<int, ValueShape> shapes)
    {
        var items = new List<AggregateItem>();
        void Add(ProfileColumn c, Stat stat, string expression) => items.Add(new(c.Index, stat, expression));
        foreach (var c in columns)
        {
            var col = Col(c.Index);
            Add(c, Stat.NonNull, $"count({col})");
            if (!c.HasValues) continue;
            if (distinctOf.Contains(c.Index)) Add(c, Stat.Distinct, $"count(DISTINCT {col})");
            switch (c.Kind)
            {
                case FieldKind.Number:
                    var number = profile.AsNumber(col);
                    Add(c, Stat.Min, $"min({col})");
                    Add(c, Stat.Max, $"max({col})");
                    Add(c, Stat.Mean, $"avg({number})");
                    if (profile.StandardDeviation(number) is { } deviation) Add(c, Stat.StdDev, deviation);
                    else Add(c, Stat.MeanOfSquares, $"avg({number} * {number})");
                    // Sorted as floating-point numbers: the value at a rank is the same, and they sort faster than decimals.
                    foreach (var (stat, fraction) in Quartiles)
                        if (profile.Quantile(number, fraction) is { } quantile) Add(c, stat, quantile);
                    break;
                case FieldKind.Text:
                    var text = sql.AsText(col);
                    Add(c, Stat.Min, $"min({text})");
                    Add(c, Stat.Max, $"max({text})");
                    Add(c, Stat.MinLength, $"min({sql.TextLength(text)})");
                    Add(c, Stat.MaxLength, $"max({sql.TextLength(text)})");
                    Add(c, Stat.MeanLength, $"avg({profile.AsNumber(sql.TextLength(text))})");
                    if (shapes.TryGetValue(c.Index, out var shape))
                        Add(c, Stat.ShapeMatches, sql.CountIf(shape.Condition(sql, text, shape.Pattern is null ? "" : Parameter("shape" + c.Index, shape.Pattern))));
                    break;
                case FieldKind.Date or FieldKind.Timestamp:
                    Add(c, Stat.Min, $"min({col})");
                    Add(c, Stat.Max, $"max({col})");
                    break;
            }
        }
        return new AggregateLayout(items);
    }

    public static readonly IReadOnlyList<(Stat Stat, double Fraction)> Quartiles = [(Stat.Q1, 0.25), (Stat.Median, 0.5), (Stat.Q3, 0.75)];

    /// <summary>
    /// Quartiles where the dialect has no quantile aggregate: each numeric column's values at the nearest ranks, found
    /// by numbering its sorted values; one statement for every column, its rows (column, rank, value).
    /// </summary>
    public SourceStatement RankedValues(string source, IReadOnlyDictionary<int, long[]> ranks)
    {
        var branches = ranks.Select(pair =>
        {
            var col = Col(pair.Key);
            var wanted = string.Join(", ", pair.Value.Select((rank, i) => Parameter($"rank{pair.Key}_{i}", rank)));
            return $"SELECT {pair.Key} AS col, rn, v FROM (SELECT {col} AS v, row_number() OVER (ORDER BY {col}) AS rn FROM {source} s WHERE {col} IS NOT NULL) r{pair.Key} WHERE rn IN ({wanted})";
        });
        return Statement(string.Join("\nUNION ALL\n", branches));
    }
}

public enum Stat { NonNull, Distinct, Min, Max, Mean, StdDev, MeanOfSquares, Q1, Median, Q3, MinLength, MaxLength, MeanLength, ShapeMatches }

public sealed record AggregateItem(int Column, Stat Stat, string Sql);

/// <summary>The aggregate pass's columns after the row count, so its one row reads back by column and statistic.</summary>
public sealed class AggregateLayout(IReadOnlyList<AggregateItem> items)
{
    public IReadOnlyList<AggregateItem> Items => items;

    /// <summary>
    /// The items in statements that can run side by side: what one streaming pass computes (which a database may
    /// spread over its cores), then the sorts (a distinct count, or a column's quartiles, which share one sort) dealt
    /// over <paramref name="sortStatements"/> statements, since a statement with sorts runs on one core.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<AggregateItem>> Parts(int sortStatements)
    {
        static bool Sorted(Stat s) => s is Stat.Distinct or Stat.Q1 or Stat.Median or Stat.Q3;
        var sorts = items.Where(i => Sorted(i.Stat)).GroupBy(i => (i.Column, i.Stat == Stat.Distinct)).ToList();
        var parts = new List<IReadOnlyList<AggregateItem>> { items.Where(i => !Sorted(i.Stat)).ToList() };
        var count = Math.Max(1, Math.Min(sortStatements, sorts.Count));
        parts.AddRange(Enumerable.Range(0, count).Select(k => sorts.Where((_, i) => i % count == k).SelectMany(g => g).ToList()).Where(p => p.Count > 0));
        return parts;
    }

    /// <summary>Reads a statement's row (the row count first) back by column and statistic.</summary>
    public static Dictionary<(int Column, Stat Stat), object?> Read(IReadOnlyList<AggregateItem> part, IReadOnlyList<object?> row) =>
        part.Select((item, i) => (item, value: row[i + 1])).ToDictionary(x => (x.item.Column, x.item.Stat), x => x.value);
}
