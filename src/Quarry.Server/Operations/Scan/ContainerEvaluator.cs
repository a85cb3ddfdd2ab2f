namespace Quarry.Server.Operations.Scan;

/// <summary>
/// How one check went in one scan; <see cref="Samples"/> holds failing rows for a failed check, and
/// <see cref="ContainerRows"/> the container's row count when the check's own statement counted every row.
/// </summary>
internal sealed record CheckEvaluation(ScanCheck Check, string Result, long? Asserted, long? Failing, string? Message, SourceRows? Samples = null,
    long? ContainerRows = null);

/// <summary>How a container went: its row count (null when it could not be read) and each check's evaluation.</summary>
internal sealed record ContainerEvaluation(long? RecordCount, IReadOnlyList<CheckEvaluation> Checks, string? Message);

/// <summary>
/// Evaluates a container's active checks at the source. Every row-level check goes into one statement that reads
/// the container once (a failing-row count per check, <c>count(*) FILTER (WHERE …)</c> on PostgreSQL); unique gets
/// a grouped statement of its own; failed checks then read up to the sample limit of their failing rows. A check the
/// source refuses (an expression that is not valid SQL, a field gone since the last sync) is unasserted on its own:
/// the statement is tried again without it, so one bad check never hides the others' results.
/// </summary>
internal sealed class ContainerEvaluator(ISourceQueries source, ConnectionDetails connection, SourceScope scope, ISqlDialect dialect, ContainerSources sources, int sampleLimit,
    ILogger logger, ContainerRuleEvaluator containerRules)
{
    public async Task<ContainerEvaluation> EvaluateAsync(ScanContainer container, CancellationToken ct)
    {
        var results = new Dictionary<ScanCheck, CheckEvaluation>();
        var pending = new List<ScanCheck>();
        var own = new List<ScanCheck>();
        foreach (var check in container.Checks)
        {
            if (container.MissingField(check) is { } missing) results[check] = Unasserted(check, missing);
            else if (ContainerRules.Handles(check.Rule)) own.Add(check);
            else if (Compose(container, check) is { } problem) results[check] = Unasserted(check, problem);
            else pending.Add(check);
        }

        long? total = null;
        string? containerMessage = null;
        if (pending.Count > 0)
        {
            // The container itself first when the fused statement is refused: a table dropped since the last sync, or a
            // computed table whose query is wrong, leaves every check unasserted for the same reason.
            var counts = await TryAggregateAsync(container, pending, ct);
            if (counts is null && await ProblemAsync(container, [], ct) is { } unreadable)
            {
                containerMessage = $"Container '{container.Container.Name}' could not be read: {unreadable}";
                foreach (var check in pending) results[check] = Unasserted(check, containerMessage);
                pending.Clear();
            }
            else if (counts is null)
            {
                foreach (var check in pending.ToList())
                    if (await ProblemAsync(container, [check], ct) is { } refused)
                    {
                        results[check] = Unasserted(check, $"The source refused this check: {refused}");
                        pending.Remove(check);
                    }
                counts = pending.Count == 0 ? null : await TryAggregateAsync(container, pending, ct) ?? await OneByOneAsync(container, pending, results, ct);
            }
            if (counts is not null)
            {
                total = counts.Total;
                foreach (var (check, (asserted, failing)) in counts.PerCheck)
                    results[check] = await JudgeAsync(container, check, asserted, failing, ct);
            }
        }
        // Rules that look beyond one row each have a statement of their own, after the container's one pass.
        foreach (var check in own)
            results[check] = containerMessage is null ? await containerRules.EvaluateAsync(container, check, ct) : Unasserted(check, containerMessage);
        // Without a row-level pass (only rules of their own, or every check refused before any statement), the row
        // count comes from a rule that counted every row, else from a count of its own.
        if (total is null && containerMessage is null && container.Checks.Count > 0)
        {
            total = own.Select(c => results[c].ContainerRows).FirstOrDefault(n => n is not null);
            if (total is null) (total, containerMessage) = await CountAsync(container, ct);
        }
        return new ContainerEvaluation(total, container.Checks.Select(c => results[c]).ToList(), containerMessage);
    }

    /// <summary>The container's row count, or why it can't be read.</summary>
    private async Task<(long?, string?)> CountAsync(ScanContainer container, CancellationToken ct)
    {
        try
        {
            var sql = new SqlText(dialect);
            return (Long((await source.AggregateAsync(connection, scope, sql.Statement($"SELECT count(*) FROM {sources.From(sql, container, [])}"), ct))[0]), null);
        }
        catch (ConnectorException e) when (IsStatementProblem(e))
        {
            return (null, $"Container '{container.Container.Name}' could not be read: {ScanMessages.Cut(e.Message)}");
        }
        catch (ScanCheckException e)
        {
            return (null, $"Container '{container.Container.Name}' could not be read: {e.Message}");
        }
    }

    private sealed record Counts(long Total, IReadOnlyDictionary<ScanCheck, (long Asserted, long Failing)> PerCheck);

    /// <summary>Null when every piece of the check can be written for this source, else why not.</summary>
    private string? Compose(ScanContainer container, ScanCheck check)
    {
        try
        {
            var sql = new SqlText(dialect);
            _ = sources.From(sql, container, [check]);
            if (RulePredicates.IsRowLevel(check.Rule)) _ = RulePredicates.Failing(sql, container, check);
            return null;
        }
        catch (Exception e) when (e is ScanCheckException or NotSupportedException)
        {
            return e.Message;
        }
    }

    private async Task<Counts?> TryAggregateAsync(ScanContainer container, IReadOnlyList<ScanCheck> checks, CancellationToken ct)
    {
        try
        {
            return await AggregateAsync(container, checks, ct);
        }
        catch (ConnectorException e) when (IsStatementProblem(e))
        {
            return null;
        }
    }

    /// <summary>The one statement: the row count, and per check its asserted rows (when filtered) and failing rows; unique adds its own.</summary>
    private async Task<Counts> AggregateAsync(ScanContainer container, IReadOnlyList<ScanCheck> checks, CancellationToken ct)
    {
        var sql = new SqlText(dialect);
        var columns = new List<string> { "count(*)" };
        var positions = new List<(ScanCheck Check, int? Asserted, int? Failing)>();
        foreach (var check in checks)
        {
            int? asserted = null, failing = null;
            if (check.Filter is { } filter) { asserted = columns.Count; columns.Add(dialect.CountIf($"({filter})")); }
            if (RulePredicates.IsRowLevel(check.Rule))
            {
                failing = columns.Count;
                var predicate = $"({RulePredicates.Failing(sql, container, check)})";
                columns.Add(dialect.CountIf(check.Filter is null ? predicate : $"({check.Filter}) AND {predicate}"));
            }
            positions.Add((check, asserted, failing));
        }
        var statement = sql.Statement($"SELECT {string.Join(", ", columns)} FROM {sources.From(sql, container, checks)}");
        // The text only: values are parameters, and a check's property may be something its author considers private.
        logger.LogDebug("Scan of container {Container}: {Sql}", container.Container.Name, statement.Sql);
        var row = await source.AggregateAsync(connection, scope, statement, ct);
        var total = Long(row[0]);
        var perCheck = new Dictionary<ScanCheck, (long, long)>();
        foreach (var (check, asserted, failing) in positions)
        {
            var failingRows = failing is int f ? Long(row[f]) : await DuplicateRowsAsync(container, check, ct);
            perCheck[check] = (asserted is int a ? Long(row[a]) : total, failingRows);
        }
        return new Counts(total, perCheck);
    }

    /// <summary>The rows whose fields (all non-null) another row of the asserted rows shares.</summary>
    private Task<long> DuplicateRowsAsync(ScanContainer container, ScanCheck check, CancellationToken ct) =>
        SingleAsync(container, check, (sql, from) =>
            $"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {from} {DuplicateGroups(sql, check)}) AS d", ct);

    private static string DuplicateGroups(SqlText sql, ScanCheck check)
    {
        var keys = check.Fields.Select(sql.Quote).ToList();
        var where = keys.Select(k => $"{k} IS NOT NULL");
        if (check.Filter is { } filter) where = where.Prepend($"({filter})");
        return $"WHERE {string.Join(" AND ", where)} GROUP BY {string.Join(", ", keys)} HAVING count(*) > 1";
    }

    private async Task<long> SingleAsync(ScanContainer container, ScanCheck check, Func<SqlText, string, string> compose, CancellationToken ct)
    {
        var sql = new SqlText(dialect);
        var row = await source.AggregateAsync(connection, scope, sql.Statement(compose(sql, sources.From(sql, container, [check]))), ct);
        return Long(row[0]);
    }

    /// <summary>Last resort when the statement is refused for a reason no empty probe shows (a bad value met at run time): each check alone.</summary>
    private async Task<Counts> OneByOneAsync(ScanContainer container, List<ScanCheck> checks, Dictionary<ScanCheck, CheckEvaluation> results, CancellationToken ct)
    {
        long total = 0;
        var perCheck = new Dictionary<ScanCheck, (long, long)>();
        foreach (var check in checks)
        {
            try
            {
                var counts = await AggregateAsync(container, [check], ct);
                total = counts.Total;
                perCheck[check] = counts.PerCheck[check];
            }
            catch (ConnectorException e) when (IsStatementProblem(e))
            {
                results[check] = Unasserted(check, $"The source refused this check: {ScanMessages.Cut(e.Message)}");
            }
        }
        return new Counts(total, perCheck);
    }

    /// <summary>
    /// What the source says is wrong with the container's FROM and the checks' expressions, found by a statement that
    /// reads no row (the source still parses and resolves every name), or null when nothing is.
    /// </summary>
    private async Task<string?> ProblemAsync(ScanContainer container, IReadOnlyList<ScanCheck> checks, CancellationToken ct)
    {
        var sql = new SqlText(dialect);
        var columns = new List<string> { "count(*)" };
        foreach (var check in checks)
        {
            if (check.Filter is { } filter) columns.Add(dialect.CountIf($"({filter})"));
            if (RulePredicates.IsRowLevel(check.Rule)) columns.Add(dialect.CountIf($"({RulePredicates.Failing(sql, container, check)})"));
            else columns.Add($"count({string.Join(", ", check.Fields.Take(1).Select(sql.Quote))})");
        }
        try
        {
            await source.AggregateAsync(connection, scope, sql.Statement($"SELECT {string.Join(", ", columns)} FROM {sources.From(sql, container, checks)} WHERE 1 = 0"), ct);
            return null;
        }
        catch (ConnectorException e) when (IsStatementProblem(e))
        {
            return ScanMessages.Cut(e.Message);
        }
    }

    private async Task<CheckEvaluation> JudgeAsync(ScanContainer container, ScanCheck check, long asserted, long failing, CancellationToken ct)
    {
        // Coverage is the share of asserted rows that must pass: 1 allows no failing row, 0.95 allows 5%.
        var allowed = Math.Floor(asserted * (1 - check.Check.Coverage) + 1e-9);
        if (failing <= allowed) return new CheckEvaluation(check, CheckOutcome.Passed, asserted, failing, null);
        var samples = await SamplesAsync(container, check, ct);
        return new CheckEvaluation(check, CheckOutcome.Failed, asserted, failing, ScanMessages.Failed(check, asserted, failing), samples);
    }

    /// <summary>Up to the sample limit of the failing rows, every field of each; none when the limit is 0.</summary>
    private async Task<SourceRows?> SamplesAsync(ScanContainer container, ScanCheck check, CancellationToken ct)
    {
        if (sampleLimit <= 0) return null;
        var sql = new SqlText(dialect);
        var from = sources.From(sql, container, [check]);
        var filter = check.Filter is null ? "" : $"({check.Filter}) AND ";
        var where = RulePredicates.IsRowLevel(check.Rule)
            ? $"{filter}({RulePredicates.Failing(sql, container, check)})"
            : $"{filter}EXISTS (SELECT 1 FROM (SELECT {string.Join(", ", check.Fields.Select(sql.Quote))} FROM {sources.From(sql, container, [check], "u")} "
              + $"{DuplicateGroups(sql, check)}) AS d WHERE {string.Join(" AND ", check.Fields.Select(f => $"d.{sql.Quote(f)} = t.{sql.Quote(f)}"))})";
        try
        {
            return await source.ReadRowsAsync(connection, scope, sql.Statement($"SELECT * FROM {from} WHERE {where} {dialect.Limit(sampleLimit)}"), sampleLimit, ct);
        }
        catch (ConnectorException e) when (IsStatementProblem(e))
        {
            return null; // the counts stand; only the examples are missing
        }
    }

    /// <summary>The statement's own fault (or a table the user may not read), not the source's: the scan goes on.</summary>
    private static bool IsStatementProblem(ConnectorException e) => e.Failure is ConnectorFailure.InvalidStatement or ConnectorFailure.PermissionDenied;

    private static CheckEvaluation Unasserted(ScanCheck check, string message) => new(check, CheckOutcome.Unasserted, null, null, message);

    private static long Long(object? value) => value is null ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
}
