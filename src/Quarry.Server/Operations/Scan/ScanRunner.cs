using System.Diagnostics;

namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Runs one scan: every active check of the datastore's containers (or of the named ones) is evaluated at the source,
/// one container at a time, and each container's results are recorded as soon as it is done (docs/scan.md).
/// </summary>
public sealed class ScanRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, OperationProgress progress, EnrichmentWriteBack enrichment,
    IServiceScopeFactory scopes, ILogger<ScanRunner> logger)
    : IOperationRunner
{
    public const string TypeName = "scan";

    /// <summary>At most this many evaluated containers are recorded in one transaction.</summary>
    internal const int RecordBatch = 100;
    /// <summary>Evaluated containers wait at most this long to be recorded, so progress moves and an abort request is seen.</summary>
    internal static readonly TimeSpan RecordAtLeastEvery = TimeSpan.FromSeconds(1);
    /// <summary>When the next container keeps the source busy this long, the containers evaluated before it are recorded meanwhile.</summary>
    internal static readonly TimeSpan RecordWhenSourceTakes = TimeSpan.FromMilliseconds(100);

    public string LeftUntouched => "the containers scanned before it stopped kept their results, and the others were not scanned";

    public string? ParametersOf(RunOperationRequest request) => ScanParameters.Of(request).ToJson();

    public async Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct)
    {
        var parameters = ScanParameters.Read(operation.ParametersJson);
        var loaded = await DatastoreSource.LoadAsync(db, connectors, operation.DatastoreId, ct);
        var (datastore, connection, connector, scope) = loaded;
        var source = await loaded.ReadableAsync(db, "scan", "nothing was scanned", ct);

        var sources = await ContainerSources.LoadAsync(db, datastore.Id, scope.Schema, ct);
        var scanned = Choose(datastore.Id, sources.Containers, parameters.ContainerNames);
        var details = connections.Details(connection);
        var timings = new ScanTimings();
        var timed = new TimedSourceQueries(source, timings);
        // Rules that look at another container read the store while the previous container is being recorded: their own context.
        await using var referenceScope = scopes.CreateAsyncScope();
        var references = new ScanReferences(referenceScope.ServiceProvider.GetRequiredService<QuarryDb>(), datastore, connector.Descriptor, sources, operation.Id);
        var containerRules = new ContainerRuleEvaluator(timed, details, scope, connector.Dialect, sources, references, datastore.SourceRecordLimit);
        var evaluator = new ContainerEvaluator(timed, details, scope, connector.Dialect, sources, datastore.SourceRecordLimit, logger, containerRules);
        var recorder = new ScanRecorder(db, progress);
        var loader = new ScanContainerLoader(db, scanned);

        // A run handed back to the queue (its server stopped) starts over; the anomalies it opened are found again and updated.
        await db.CheckResults.Where(r => r.OperationId == operation.Id).ExecuteDeleteAsync(ct);
        await db.ContainerScans.Where(s => s.OperationId == operation.Id).ExecuteDeleteAsync(ct);

        logger.LogInformation("Scan {OperationId}: {Containers} containers of datastore {DatastoreId}", operation.Id, scanned.Count, datastore.Id);
        await progress.ReportAsync(operation.Id, scanned.Count, 0, ct);
        await progress.ThrowIfAbortRequestedAsync(operation.Id, ct);
        var (total, checks) = (new Recorded(), 0);
        // The store records containers while the source evaluates the next one, so neither waits for the other.
        var evaluated = new List<(ScanContainer Container, ContainerEvaluation Evaluation)>();
        var sinceRecorded = Stopwatch.StartNew();
        async Task RecordAsync(int analyzed)
        {
            if (evaluated.Count == 0) return;
            var batch = evaluated.ToList();
            evaluated.Clear();
            sinceRecorded.Restart();
            var (counts, goOn) = await timings.TimeAsync(ScanTimings.Record,
                () => recorder.RecordAsync(operation, batch, parameters.ResolvePassingAnomalies, scanned.Count, analyzed, ct));
            (total, checks) = (total + counts, checks + batch.Sum(b => b.Container.Checks.Count));
            if (!goOn) throw new OperationAbortedException();
        }
        for (var i = 0; i < scanned.Count; i++)
        {
            var container = await timings.TimeAsync(ScanTimings.Load, () => loader.GetAsync(i, ct));
            using var evaluating = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var evaluation = EvaluateAsync(evaluator, container, i, scanned.Count, evaluating.Token);
            try
            {
                // Small containers are recorded many to a transaction: a commit costs the store tens of milliseconds, far
                // more than their rows. Once the source takes a while over a container, what is evaluated is recorded meanwhile,
                // so progress and abort requests never wait long for a slow container.
                if (evaluated.Count >= RecordBatch || sinceRecorded.Elapsed >= RecordAtLeastEvery
                    || (evaluated.Count > 0 && await Task.WhenAny(evaluation, Task.Delay(RecordWhenSourceTakes, ct)) != evaluation))
                    await RecordAsync(i);
            }
            catch
            {
                // Recording failed or the user asked to stop: the next container's statements are not waited for.
                await evaluating.CancelAsync();
                _ = evaluation.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }
            try
            {
                evaluated.Add((container, await evaluation));
            }
            catch (ConnectorException) when (evaluated.Count > 0)
            {
                // The source failed: the containers evaluated before this one keep their results, as the message says.
                await RecordAsync(i);
                throw;
            }
        }
        await RecordAsync(scanned.Count);

        var result = new ScanResult(scanned.Count, checks, total.Passed, total.Failed, total.Unasserted, total.Opened, total.Updated, total.Resolved);
        // Last, once every result is in the store: a failing write fails the scan but loses nothing recorded (docs/enrichment.md).
        var written = await timings.TimeAsync(ScanTimings.Enrichment, () => enrichment.WriteAsync(operation.Id, ct));
        logger.LogInformation("Scan {OperationId} timings: {Timings}", operation.Id, timings);
        return new OperationOutcome(Describe(result) + (written is null ? "" : $" {written.Describe()}."), result.ToJson());
    }

    /// <summary>One container's checks at the source; a source that fails stops the scan, saying how far it got.</summary>
    private static async Task<ContainerEvaluation> EvaluateAsync(ContainerEvaluator evaluator, ScanContainer container, int index, int count, CancellationToken ct)
    {
        try
        {
            return await evaluator.EvaluateAsync(container, ct);
        }
        catch (ConnectorException e)
        {
            throw new ConnectorException(e.Failure,
                $"{e.Message} The scan stopped at container '{container.Container.Name}' ({index} of {count} scanned, their results kept).", e);
        }
    }

    /// <summary>The containers to scan: the named ones (each must exist), or every container still in the source, in name order.</summary>
    private static List<Container> Choose(int datastoreId, IReadOnlyDictionary<int, Container> containers, IReadOnlyList<string>? names)
    {
        var present = containers.Values.Where(c => !c.Removed).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (names is null) return present;
        var chosen = new List<Container>();
        foreach (var name in names)
        {
            var match = present.FirstOrDefault(c => c.Name == name)
                ?? present.SingleOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ConnectorException(ConnectorFailure.Other,
                    $"Datastore {datastoreId} has no container named '{name}'; nothing was scanned. Its containers: {string.Join(", ", present.Take(20).Select(c => c.Name))}{(present.Count > 20 ? ", …" : "")}.");
            if (!chosen.Contains(match)) chosen.Add(match);
        }
        return chosen;
    }

    private static string Describe(ScanResult r)
    {
        if (r.Checks == 0) return $"Scanned {Plural(r.Containers, "container")}: none has an active check.";
        var anomalies = r.AnomaliesOpened + r.AnomaliesUpdated > 0
            ? $" Anomalies: {r.AnomaliesOpened} opened, {r.AnomaliesUpdated} updated{(r.AnomaliesResolved > 0 ? $", {r.AnomaliesResolved} resolved" : "")}."
            : r.AnomaliesResolved > 0 ? $" {Plural(r.AnomaliesResolved, "anomaly", "anomalies")} resolved." : "";
        return $"Scanned {Plural(r.Containers, "container")}: {Plural(r.Checks, "check")}, {r.ChecksPassed} passed, {r.ChecksFailed} failed, {r.ChecksUnasserted} unasserted.{anomalies}";
    }

    private static string Plural(int n, string one, string? many = null) => $"{n:N0} {(n == 1 ? one : many ?? one + "s")}";
}
