namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Evaluates the rules that look beyond one row (<see cref="ContainerRules"/>), each with a statement of its own,
/// composed only of the dialect's answers, quoted identifiers and bound values: existsIn and isReplicaOf read the
/// other container in the same statement (a correlated <c>NOT EXISTS</c>; <c>EXCEPT</c> both ways), volumetric
/// counts rows, freshness finds the newest value, aggregationComparison computes both aggregates at once.
/// A statement the source refuses leaves that check unasserted, with the source's message.
/// </summary>
internal sealed class ContainerRuleEvaluator(ISourceQueries source, ConnectionDetails connection, SourceScope scope, ISqlDialect dialect, ContainerSources sources,
    ScanReferences references, int sampleLimit)
{
    public async Task<CheckEvaluation> EvaluateAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        try
        {
            return check.Rule switch
            {
                "existsIn" => await ExistsInAsync(container, check, ct),
                "isReplicaOf" => await ReplicaAsync(container, check, ct),
                "volumetric" => await VolumetricAsync(container, check, ct),
                "freshness" => await FreshnessAsync(container, check, ct),
                "aggregationComparison" => await ComparisonAsync(container, check, ct),
                _ => throw new ScanCheckException($"Rule '{check.Rule}' can't be evaluated by a scan yet; the check was not evaluated."),
            };
        }
        catch (Exception e) when (e is ScanCheckException or NotSupportedException)
        {
            return Unasserted(check, e.Message);
        }
        catch (ConnectorException e) when (e.Failure is ConnectorFailure.InvalidStatement or ConnectorFailure.PermissionDenied)
        {
            return Unasserted(check, $"The source refused this check: {ScanMessages.Cut(e.Message)}");
        }
    }

    private string Where(ScanCheck check, string? predicate = null)
    {
        var parts = new[] { check.Filter is { } f ? $"({f})" : null, predicate }.OfType<string>().ToList();
        return parts.Count == 0 ? "" : " WHERE " + string.Join(" AND ", parts);
    }

    private async Task<CheckEvaluation> ExistsInAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        var reference = await references.ResolveAsync(check, ct);
        var refField = ContainerRules.Text(check.Properties, "ref_field")!;
        if (reference.Container.MissingField(new ScanCheck(check.Check, [refField], check.Properties)) is { } missing) throw new ScanCheckException(missing);
        string Missing(SqlText sql) =>
            $"t.{sql.Quote(check.Fields[0])} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {reference.Sources.From(sql, reference.Container, [refField], [], "r")} "
            + $"WHERE r.{sql.Quote(refField)} = t.{sql.Quote(check.Fields[0])})";
        var sql = new SqlText(dialect);
        var row = await source.AggregateAsync(connection, scope,
            sql.Statement($"SELECT count(*), {dialect.CountIf($"({Missing(sql)})")} FROM {sources.From(sql, container, [check])}{Where(check)}"), ct);
        var (asserted, failing) = (Long(row[0]), Long(row[1]));
        if (failing <= Math.Floor(asserted * (1 - check.Check.Coverage) + 1e-9)) return Passed(check, asserted, failing, AllRows(check, asserted));
        var samples = await SamplesAsync(s => $"SELECT * FROM {sources.From(s, container, [check])}{Where(check, $"({Missing(s)})")}", ct);
        return Failed(check, asserted, failing, ScanMessages.Failed(check, asserted, failing), samples, AllRows(check, asserted));
    }

    private async Task<CheckEvaluation> ReplicaAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        var reference = await references.ResolveAsync(check, ct);
        var fields = Compared(container, reference.Container, check);
        var (name, other) = (container.Container.Name, reference.Container.Container.Name);
        string Columns(SqlText sql) => string.Join(", ", fields.Select(sql.Quote));
        string There(SqlText sql) => reference.Sources.From(sql, reference.Container, fields, [], "r");
        string Only(SqlText sql, bool here) => here
            ? $"SELECT {Columns(sql)} FROM {sources.From(sql, container, [check])}{Where(check)} EXCEPT SELECT {Columns(sql)} FROM {There(sql)}"
            : $"SELECT {Columns(sql)} FROM {There(sql)} EXCEPT SELECT {Columns(sql)} FROM {sources.From(sql, container, [check])}{Where(check)}";
        var sql = new SqlText(dialect);
        var row = await source.AggregateAsync(connection, scope, sql.Statement(
            $"SELECT (SELECT count(*) FROM {sources.From(sql, container, [check])}{Where(check)}), "
            + $"(SELECT count(*) FROM ({Only(sql, true)}) AS x), (SELECT count(*) FROM ({Only(sql, false)}) AS y)"), ct);
        var (asserted, onlyHere, onlyThere) = (Long(row[0]), Long(row[1]), Long(row[2]));
        if (onlyHere + onlyThere == 0) return Passed(check, asserted, 0, AllRows(check, asserted));
        // The rows of this container the other lacks first, then the other's rows this one lacks.
        var samples = await SamplesAsync(s => $"SELECT * FROM ({Only(s, true)}) AS x", ct);
        if (samples is not null && samples.Rows.Count < sampleLimit && onlyThere > 0
            && await SamplesAsync(s => $"SELECT * FROM ({Only(s, false)}) AS y", ct, sampleLimit - samples.Rows.Count) is { } more)
            samples = new SourceRows(samples.Columns, [.. samples.Rows, .. more.Rows]);
        var message = $"{Rows(onlyHere)} of '{name}' {(onlyHere == 1 ? "is" : "are")} not in '{other}', and {Rows(onlyThere)} of '{other}' "
            + $"{(onlyThere == 1 ? "is" : "are")} not in '{name}' (distinct rows, compared on {string.Join(", ", fields)}).";
        return Failed(check, asserted, onlyHere + onlyThere, message, samples, AllRows(check, asserted));
    }

    /// <summary>The check's fields, or every field both containers have (in this container's order); each must be in both.</summary>
    private static IReadOnlyList<string> Compared(ScanContainer here, ScanContainer there, ScanCheck check)
    {
        if (check.Fields.Count > 0)
            return there.MissingField(check) is { } missing ? throw new ScanCheckException(missing) : check.Fields;
        var common = here.Fields.Values.Where(f => !f.Removed && there.Fields.TryGetValue(f.Name, out var t) && !t.Removed).OrderBy(f => f.Ordinal).Select(f => f.Name).ToList();
        return common.Count > 0 ? common : throw new ScanCheckException(
            $"Containers '{here.Container.Name}' and '{there.Container.Name}' have no field in common (as last synced); name the fields to compare, or sync both datastores.");
    }

    private async Task<CheckEvaluation> VolumetricAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        var sql = new SqlText(dialect);
        var count = Long((await source.AggregateAsync(connection, scope, sql.Statement($"SELECT count(*) FROM {sources.From(sql, container, [check])}{Where(check)}"), ct))[0]);
        var p = check.Properties;
        double low, high;
        string expected;
        if (Number(p, "tolerance_percent") is double percent)
        {
            var history = Number(p, "history") is double h ? (int)h : 1;
            var previous = await references.PreviousCountsAsync(check, history, ct);
            if (previous.Count == 0)
                return new CheckEvaluation(check, CheckOutcome.Passed, count, 0,
                    Invariant($"No earlier scan recorded a row count for this check: {Rows(count)} is the baseline the next scans compare with."), null, AllRows(check, count));
            var average = previous.Average(c => (double)c);
            (low, high) = (average * (1 - percent / 100), average * (1 + percent / 100));
            expected = Invariant($"within {percent:0.##}% of {average:#,0.##} (the average of the last {Plural(previous.Count, "scan")})");
        }
        else
        {
            (low, high) = (Number(p, "min") ?? 0, Number(p, "max") ?? double.PositiveInfinity);
            expected = double.IsPositiveInfinity(high) ? Invariant($"at least {low:#,0}") : Invariant($"between {low:#,0} and {high:#,0}");
        }
        if (count >= low - 1e-9 && count <= high + 1e-9) return Passed(check, count, 0, AllRows(check, count));
        // The rows beyond the allowed range: what a user would add or remove for the count to pass.
        var beyond = (long)Math.Ceiling((count < low ? low - count : count - high) - 1e-9);
        return Failed(check, count, beyond, Invariant($"'{container.Container.Name}' has {Rows(count)}; expected {expected}."), null, AllRows(check, count));
    }

    private async Task<CheckEvaluation> FreshnessAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        var raw = ContainerRules.Text(check.Properties, "max_age")!;
        if (!Durations.TryParse(raw, out var maxAge)) throw new ScanCheckException($"max_age '{raw}' is not a duration; change the check.");
        var cutoff = DateTime.UtcNow - maxAge;
        var column = dialect.QuoteIdentifier(check.Fields[0]);
        var sql = new SqlText(dialect);
        var row = await source.AggregateAsync(connection, scope, sql.Statement(
            $"SELECT count(*), count({column}), max({column}), {dialect.CountIf($"{dialect.PointInTime(column)} > {dialect.PointInTime(sql.Bind(cutoff))}")} "
            + $"FROM {sources.From(sql, container, [check])}{Where(check)}"), ct);
        var (rows, values, newest, fresh) = (Long(row[0]), Long(row[1]), row[2], Long(row[3]));
        if (fresh > 0) return Passed(check, rows, 0, AllRows(check, rows));
        var cut = cutoff.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var message = values == 0
            ? $"'{check.Fields[0]}' has no value, so nothing is newer than {raw} (since {cut} UTC)."
            : Invariant($"The newest '{check.Fields[0]}' is {Shown(newest)}, older than {raw} (none of the {Rows(values)} is after {cut} UTC).");
        return Failed(check, rows, values, message, null, AllRows(check, rows));
    }

    private async Task<CheckEvaluation> ComparisonAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        var reference = await references.ResolveAsync(check, ct);
        var p = check.Properties;
        var (expression, refExpression) = (ContainerRules.Text(p, "expression")!, ContainerRules.Text(p, "ref_expression")!);
        var refFilter = ContainerRules.Text(p, "ref_filter") is { } rf ? $" WHERE ({rf})" : "";
        var sql = new SqlText(dialect);
        // The rows the expression aggregated come with it: one pass over this container.
        var row = await source.AggregateAsync(connection, scope, sql.Statement(
            $"SELECT x.n, x.v, (SELECT {refExpression} FROM {reference.Sources.From(sql, reference.Container, [], [refExpression, ContainerRules.Text(p, "ref_filter")], "r")}{refFilter}) "
            + $"FROM (SELECT count(*) AS n, {expression} AS v FROM {sources.From(sql, container, [check])}{Where(check)}) AS x"), ct);
        var (asserted, value, refValue) = (Long(row[0]), row[1], row[2]);
        var comparison = ContainerRules.Text(p, "comparison") ?? "eq";
        var (name, other) = (container.Container.Name, reference.Container.Container.Name);
        if (value is null || refValue is null)
            return Failed(check, asserted, 1, $"{(value is null ? $"{expression} of '{name}'" : $"{refExpression} of '{other}'")} is null (no rows, or only nulls); nothing to compare.",
                null, AllRows(check, asserted));
        var (a, b) = (Convert.ToDouble(value, CultureInfo.InvariantCulture), Convert.ToDouble(refValue, CultureInfo.InvariantCulture));
        var tolerance = Number(p, "tolerance") ?? (Number(p, "tolerance_percent") is double pct ? Math.Abs(b) * pct / 100 : 0);
        var slack = tolerance + 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
        var holds = comparison switch
        {
            "lt" => a < b + tolerance, "lte" => a <= b + slack, "gt" => a > b - tolerance, "gte" => a >= b - slack,
            _ => Math.Abs(a - b) <= slack,
        };
        if (holds) return Passed(check, asserted, 0, AllRows(check, asserted));
        var word = comparison switch { "lt" => "less than", "lte" => "at most", "gt" => "greater than", "gte" => "at least", _ => "equal to" };
        return Failed(check, asserted, 1, Invariant($"{expression} of '{name}' is {a:G15}; expected {word} {refExpression} of '{other}', {b:G15}")
            + (tolerance > 0 ? Invariant($", within {tolerance:G15}.") : "."), null, AllRows(check, asserted));
    }

    private async Task<SourceRows?> SamplesAsync(Func<SqlText, string> select, CancellationToken ct, int? limit = null)
    {
        var rows = limit ?? sampleLimit;
        if (rows <= 0) return null;
        var sql = new SqlText(dialect);
        try
        {
            return await source.ReadRowsAsync(connection, scope, sql.Statement($"{select(sql)} {dialect.Limit(rows)}"), rows, ct);
        }
        catch (ConnectorException e) when (e.Failure is ConnectorFailure.InvalidStatement or ConnectorFailure.PermissionDenied)
        {
            return null; // the counts stand; only the examples are missing
        }
    }

    private static CheckEvaluation Passed(ScanCheck check, long asserted, long failing, long? containerRows) =>
        new(check, CheckOutcome.Passed, asserted, failing, null, null, containerRows);

    private static CheckEvaluation Failed(ScanCheck check, long asserted, long failing, string message, SourceRows? samples, long? containerRows) =>
        new(check, CheckOutcome.Failed, asserted, failing, message, samples, containerRows);

    /// <summary>The container's rows when the check's statement counted them all (it has no filter), so no statement of its own is needed.</summary>
    private static long? AllRows(ScanCheck check, long asserted) => check.Filter is null ? asserted : null;

    private static CheckEvaluation Unasserted(ScanCheck check, string message) => new(check, CheckOutcome.Unasserted, null, null, message);

    private static double? Number(IReadOnlyDictionary<string, JsonElement> p, string name) =>
        p.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Shown(object? value) => value switch
    {
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ssK", CultureInfo.InvariantCulture),
        _ => ScanMessages.Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Rows(long n) => Plural(n, "row");

    private static string Plural(long n, string one) => Invariant($"{n:N0} {(n == 1 ? one : one + "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static long Long(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
