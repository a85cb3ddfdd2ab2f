namespace Quarry.Server.Operations.Profile;

/// <summary>A value and how many rows hold it.</summary>
public sealed record ValueCount(string Value, long Count);

/// <summary>What a profile found in one field.</summary>
public sealed record FieldStats(
    ProfileColumn Column,
    string InferredType,
    ValueShape? Shape,
    long RecordCount,
    long NullCount,
    long? DistinctCount,
    bool DistinctApproximate,
    object? Min,
    object? Max,
    double? Mean,
    double? StdDev,
    double? Q1,
    double? Median,
    double? Q3,
    int? MinLength,
    int? MaxLength,
    double? MeanLength,
    IReadOnlyList<ValueCount> TopValues);

/// <summary>What a profile found in one container: its rows analyzed, whether they were a sample, and each field.</summary>
public sealed record ContainerStats(long RecordCount, bool Sampled, IReadOnlyList<FieldStats> Fields);

/// <summary>
/// Profiles one container in a handful of statements, whatever its width: (1) the most frequent values of every
/// column in a small bounded read, which also says which columns hold few distinct values, which may be unique and
/// which text looks like dates, numbers, UUIDs or e-mails; (2) one pass of fused aggregates over the rows profiled
/// (counts, min/max, mean, deviation, quartiles, lengths, exact distinct counts of unique candidates, the shape tests);
/// (3) exact value counts of the few-valued columns; (4) quartiles where the dialect has no quantile aggregate.
/// Where the dialect allows several statements at once, (2) is split (the streaming aggregates; the sorts) and run
/// beside (3), each on its own connection, so that the database works on more than one core.
/// </summary>
public sealed class ContainerProfiler(ISqlDialect sql, Func<SourceStatement, Task<IReadOnlyList<object?[]>>> read, ILogger logger)
{
    /// <summary>Rows read to plan the profile: enough to tell a column of a few codes from one of many values.</summary>
    public const int PlanRows = 10_000;

    /// <summary>A column with at most this many distinct values in the plan's rows gets exact value counts.</summary>
    public const int FewValues = 50;

    public async Task<ContainerStats> ProfileAsync(ProfileStatements statements, long? sampleRows)
    {
        // A sample clause needs a percentage, so the table's size; without one a sample is the table's first rows.
        var estimate = statements.SamplesByRows ? null : await EstimateAsync(statements);
        var source = statements.Source(sampleRows, sampleRows is long wanted && estimate > wanted ? Percent(wanted, estimate.Value) : null);
        var planSource = sampleRows is null && statements.SamplesByRows ? statements.Source(PlanRows, null)
            : sampleRows is null && estimate > 2 * PlanRows ? statements.Source(PlanRows, Percent(PlanRows, estimate!.Value))
            : $"(SELECT * FROM {source} p {sql.Limit(PlanRows)})";

        var plan = Frequencies.Read(await Rows("plan", statements.Frequencies(planSource, statements.Columns.Where(c => c.HasValues), plan: true)));
        var planSawAll = plan.RowCount < PlanRows;
        var shapes = new Dictionary<int, ValueShape>();
        var unique = new HashSet<int>();
        foreach (var c in statements.Columns.Where(c => c.HasValues))
        {
            var seen = plan.Of(c.Index);
            if (c.Kind == FieldKind.Text && ValueShape.Candidate(seen.Top.Select(v => v.Value).ToList()) is { } shape) shapes[c.Index] = shape;
            if (!planSawAll && seen.NonNull > 1 && seen.Distinct == seen.NonNull) unique.Add(c.Index);
        }

        // The statements below depend only on the plan: where the dialect allows, they run side by side.
        var layout = statements.Layout(unique, shapes);
        // Beside the streaming pass and the value counts, the sorts take the connections left (at least one).
        var parts = statements.ConcurrentStatements > 1 ? layout.Parts(statements.ConcurrentStatements - 2) : [layout.Items];
        var few = planSawAll ? [] : statements.Columns.Where(c => c.HasValues && plan.Of(c.Index).Distinct <= FewValues).ToList();
        var values = new Dictionary<(int, Stat), object?>();
        long recordCount = 0;
        Frequencies? exact = null;
        var work = parts.Select(part => (Func<Task>)(async () =>
        {
            var phase = parts.Count == 1 ? "aggregates" : part == parts[0] ? "aggregates: one pass" : $"aggregates: {part.Count(i => i.Stat is Stat.Distinct or Stat.Q1)} sorts";
            var row = (await Rows(phase, statements.Aggregates(source, part)))[0];
            lock (values)
            {
                recordCount = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
                foreach (var (key, value) in AggregateLayout.Read(part, row)) values[key] = value;
            }
        })).ToList();
        if (few.Count > 0) work.Add(async () => exact = Frequencies.Read(await Rows("value counts", statements.Frequencies(source, few, plan: false))));
        await RunAsync(work, statements.ConcurrentStatements);
        var quartiles = await RankedQuartilesAsync(statements, source, values);

        var fields = statements.Columns.Select(c => Field(c, recordCount, values, plan, exact, planSawAll, shapes, quartiles)).ToList();
        var sampled = sampleRows is long limit && (estimate > limit || recordCount >= limit);
        return new ContainerStats(recordCount, sampled, fields);
    }

    /// <summary>Runs one of the profile's statements; each one's time is logged (Debug) to see where a profile spends it.</summary>
    private async Task<IReadOnlyList<object?[]>> Rows(string phase, SourceStatement statement)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await read(statement);
        logger.LogDebug("Profile statement {Phase}: {Seconds:0.000}s, {Rows} rows: {Sql}", phase, clock.Elapsed.TotalSeconds, result.Count, statement.Sql);
        return result;
    }

    /// <summary>Runs the work, at most <paramref name="concurrency"/> at a time.</summary>
    private static async Task RunAsync(IReadOnlyList<Func<Task>> work, int concurrency)
    {
        if (concurrency <= 1)
        {
            foreach (var step in work) await step();
            return;
        }
        using var slots = new SemaphoreSlim(concurrency);
        await Task.WhenAll(work.Select(async step =>
        {
            await slots.WaitAsync();
            try { await step(); }
            finally { slots.Release(); }
        }));
    }

    private async Task<long?> EstimateAsync(ProfileStatements statements) =>
        statements.EstimatedRows() is not { } query ? null
            : (await Rows("estimate", query)).FirstOrDefault()?[0] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    // Half again as many as asked: pages hold uneven numbers of rows; the limit trims the surplus.
    private static double Percent(long wanted, long estimate) => Math.Min(100, Math.Round(150.0 * wanted / estimate, 6));

    private async Task<Dictionary<int, double?[]>> RankedQuartilesAsync(ProfileStatements statements, string source, Dictionary<(int, Stat), object?> values)
    {
        var ranks = new Dictionary<int, long[]>();
        foreach (var c in statements.Columns.Where(c => c.Kind == FieldKind.Number && !values.ContainsKey((c.Index, Stat.Q1))))
        {
            var count = Convert.ToInt64(values[(c.Index, Stat.NonNull)], CultureInfo.InvariantCulture);
            if (count > 0) ranks[c.Index] = ProfileStatements.Quartiles.Select(q => Math.Max(1, (long)Math.Ceiling(q.Fraction * count))).ToArray();
        }
        var found = new Dictionary<int, double?[]>();
        if (ranks.Count == 0) return found;
        foreach (var row in await Rows("ranked quartiles", statements.RankedValues(source, ranks)))
        {
            var column = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
            var rank = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            var slots = found.TryGetValue(column, out var existing) ? existing : found[column] = new double?[3];
            for (var i = 0; i < 3; i++) if (ranks[column][i] == rank) slots[i] = ToDouble(row[2]);
        }
        return found;
    }

    private static FieldStats Field(ProfileColumn c, long recordCount, Dictionary<(int, Stat), object?> values, Frequencies plan, Frequencies? exact,
        bool planSawAll, Dictionary<int, ValueShape> shapes, Dictionary<int, double?[]> ranked)
    {
        object? Get(Stat stat) => values.GetValueOrDefault((c.Index, stat));
        var nonNull = Convert.ToInt64(Get(Stat.NonNull), CultureInfo.InvariantCulture);
        var seen = plan.Of(c.Index);

        var (distinct, top, approximate) = !c.HasValues ? (null, [], false) : Distinct(c, nonNull, seen, exact, planSawAll, Get(Stat.Distinct));
        var shape = shapes.TryGetValue(c.Index, out var candidate) && nonNull > 0
            && Convert.ToInt64(Get(Stat.ShapeMatches) ?? -1L, CultureInfo.InvariantCulture) == nonNull ? candidate : null;
        var mean = ToDouble(Get(Stat.Mean));
        var deviation = ToDouble(Get(Stat.StdDev)) ?? SampleDeviation(mean, ToDouble(Get(Stat.MeanOfSquares)), nonNull);
        var quartiles = ranked.GetValueOrDefault(c.Index) ?? [ToDouble(Get(Stat.Q1)), ToDouble(Get(Stat.Median)), ToDouble(Get(Stat.Q3))];
        return new FieldStats(c, InferredType(c, shape), shape, recordCount, recordCount - nonNull, distinct, approximate,
            Get(Stat.Min), Get(Stat.Max), mean, deviation, quartiles[0], quartiles[1], quartiles[2],
            ToInt(Get(Stat.MinLength)), ToInt(Get(Stat.MaxLength)), ToDouble(Get(Stat.MeanLength)), top);
    }

    /// <summary>
    /// The distinct count and most frequent values: exact when the plan saw every row or the column was counted value by
    /// value, or when a unique candidate was counted; otherwise estimated from the plan's rows (approximate).
    /// </summary>
    private static (long? Distinct, IReadOnlyList<ValueCount> Top, bool Approximate) Distinct(
        ProfileColumn c, long nonNull, ColumnFrequencies seen, Frequencies? exact, bool planSawAll, object? counted)
    {
        var (distinct, top, approximate) =
            planSawAll ? (seen.Distinct, seen.Top, false)
            : exact?.Has(c.Index) == true ? (exact.Of(c.Index).Distinct, exact.Of(c.Index).Top, false)
            : counted is not null ? (Convert.ToInt64(counted, CultureInfo.InvariantCulture), Scaled(seen, nonNull), false)
            : (Estimate(seen, nonNull), Scaled(seen, nonNull), true);
        // A unique column's most frequent values say nothing: each value occurs once.
        return (distinct, distinct == nonNull ? [] : top, approximate);
    }

    /// <summary>The sample's most frequent values, their counts scaled to the rows profiled.</summary>
    private static List<ValueCount> Scaled(ColumnFrequencies seen, long nonNull)
    {
        var scale = seen.NonNull == 0 ? 0 : (double)nonNull / seen.NonNull;
        return seen.Top.Select(v => v with { Count = (long)Math.Round(v.Count * scale) }).ToList();
    }

    /// <summary>
    /// The distinct count of a column from a sample of it: the estimator that PostgreSQL's ANALYZE uses (Haas and
    /// Stokes), from the values seen once and the sample's share of the rows.
    /// </summary>
    internal static long Estimate(ColumnFrequencies seen, long nonNull)
    {
        if (seen.NonNull == 0 || nonNull == 0) return 0;
        double n = seen.NonNull, d = seen.Distinct, f1 = seen.Singles, total = nonNull;
        var estimate = n * d / (n - f1 + f1 * n / total);
        return (long)Math.Round(Math.Clamp(estimate, d, total));
    }

    private static double? SampleDeviation(double? mean, double? meanOfSquares, long n) =>
        mean is double m && meanOfSquares is double sq && n > 1 ? Math.Sqrt(Math.Max(0, (sq - m * m) * n / (n - 1))) : null;

    private static string InferredType(ProfileColumn c, ValueShape? shape) => c.Kind switch
    {
        FieldKind.Text => shape?.Name ?? "string",
        FieldKind.Number => c.DeclaredType.Contains("int", StringComparison.OrdinalIgnoreCase) || c.DeclaredType.Contains("serial", StringComparison.OrdinalIgnoreCase)
            ? "integral" : "fractional",
        FieldKind.Date => "date",
        FieldKind.Timestamp => "timestamp",
        FieldKind.Boolean => "boolean",
        _ => "other",
    };

    internal static double? ToDouble(object? value) => value switch
    {
        null => null,
        string text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        IConvertible number and not DateTime and not bool => Convert.ToDouble(number, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static int? ToInt(object? value) => value is null ? null : (int)Math.Round(Convert.ToDouble(value, CultureInfo.InvariantCulture));
}

/// <summary>One column's part of a frequencies statement: its top values, distinct values, values seen once, non-null rows.</summary>
public sealed record ColumnFrequencies(IReadOnlyList<ValueCount> Top, long Distinct, long Singles, long NonNull)
{
    public static readonly ColumnFrequencies None = new([], 0, 0, 0);
}

/// <summary>The rows of a frequencies statement, by column.</summary>
public sealed class Frequencies
{
    private readonly Dictionary<int, ColumnFrequencies> _columns = [];

    public long RowCount { get; private set; }

    public bool Has(int column) => _columns.ContainsKey(column);

    public ColumnFrequencies Of(int column) => _columns.GetValueOrDefault(column) ?? ColumnFrequencies.None;

    public static Frequencies Read(IReadOnlyList<object?[]> rows)
    {
        var result = new Frequencies();
        var top = new Dictionary<int, List<ValueCount>>();
        foreach (var row in rows)
        {
            var column = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
            long Long(int i) => Convert.ToInt64(row[i], CultureInfo.InvariantCulture);
            if (column < 0)
            {
                result.RowCount = Long(2);
                continue;
            }
            if (!top.TryGetValue(column, out var list)) top[column] = list = [];
            list.Add(new ValueCount(Convert.ToString(row[1], CultureInfo.InvariantCulture) ?? "", Long(2)));
            result._columns[column] = new ColumnFrequencies(list, Long(3), Long(4), Long(5));
        }
        return result;
    }
}
