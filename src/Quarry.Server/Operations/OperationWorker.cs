using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Quarry.Server.Operations.Sync;

namespace Quarry.Server.Operations;

/// <summary>
/// Runs queued operations in every server instance, at most <see cref="ServerOptions.Workers"/> at once. The queue is
/// the operations table, so instances sharing a PostgreSQL store share the work; each claimed operation gets heartbeats
/// so that, if this instance dies, another one fails it instead of leaving it running forever.
/// The store may go away for a while (a PostgreSQL restart): the worker keeps polling, keeps the results it could not
/// record and records them once the store answers, and heartbeats only what it really runs, so nothing stays
/// "running" for good and new work is claimed again as soon as the store is back. It claims, heartbeats and hands
/// each operation to the <see cref="IOperationRunner"/> registered for its type; what a runner does is its own.
/// </summary>
public sealed class OperationWorker(IServiceScopeFactory scopes, ServerOptions options, OperationSignal signal, ILogger<OperationWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();
    /// <summary>Finished operations whose result the store did not take yet (it was unreachable); recorded at the next poll.</summary>
    private readonly ConcurrentDictionary<int, (string Result, string Message, string? ResultJson)> _unrecorded = new();
    /// <summary>
    /// Since when this instance has reached the store without a break. After an outage every instance's heartbeats are
    /// old through no fault of theirs, so operations are judged stale only once the store has answered for a full
    /// <see cref="OperationClaims.StaleAfter"/> again, giving every instance time to heartbeat and record first.
    /// </summary>
    private DateTime? _reachableSince = DateTime.MinValue;

    /// <summary>Identifies this instance in <c>operations.worker_id</c>.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        logger.LogInformation("Operation worker {WorkerId} started with {Workers} slots", WorkerId, options.Workers);
        var tasks = new List<Task>();
        var nextHeartbeat = DateTime.MinValue;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await RecordUnrecordedAsync(stopping);
                    if (DateTime.UtcNow >= nextHeartbeat)
                    {
                        await HeartbeatAsync(stopping);
                        nextHeartbeat = DateTime.UtcNow + HeartbeatInterval;
                    }
                    tasks.RemoveAll(t => t.IsCompleted);
                    while (tasks.Count < Math.Max(1, options.Workers) && await ClaimAsync(stopping) is int id)
                        tasks.Add(RunAsync(id, stopping));
                    Reached();
                }
                catch (Exception e) when (!stopping.IsCancellationRequested && StoreFailures.IsBusy(e))
                {
                    // A SQLite store held by one long write (a big sync's catalog) is busy, not unreachable: the operation
                    // writing is alive, and the heartbeat, claims and results are simply tried again at the next poll.
                    logger.LogDebug("Operation worker found the store busy with another write; trying again at the next poll: {Message}", e.GetBaseException().Message);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // The store may be restarting: keep the worker alive and try again at the next poll.
                    Unreachable(e);
                }
                await signal.WaitAsync(PollInterval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(tasks);
        await HandBackAsync();
    }

    private void Reached()
    {
        if (_reachableSince is not null) return;
        _reachableSince = DateTime.UtcNow;
        logger.LogInformation("Operation worker reached the store again; claiming operations");
    }

    private void Unreachable(Exception e)
    {
        if (StoreFailures.IsUnavailable(e)) StoreFailures.ForgetPooledConnections(options);
        if (_reachableSince is null) return; // said once per outage, not at every poll
        _reachableSince = null;
        logger.LogWarning("Operation worker could not reach the store; retrying every {Seconds}s: {Message}", PollInterval.TotalSeconds, e.GetBaseException().Message);
    }

    /// <summary>On shutdown: results not recorded yet get a last try, and unfinished operations go back to the queue.</summary>
    private async Task HandBackAsync()
    {
        try
        {
            await RecordUnrecordedAsync(CancellationToken.None);
            await using var scope = scopes.CreateAsyncScope();
            var requeued = await OperationClaims.RequeueAsync(scope.ServiceProvider.GetRequiredService<QuarryDb>(), WorkerId, CancellationToken.None);
            if (requeued > 0) logger.LogInformation("Handed {Count} unfinished operation(s) back to the queue on shutdown", requeued);
        }
        catch (Exception e)
        {
            // Another instance fails them once their heartbeats are old.
            logger.LogWarning("Could not hand unfinished operations back to the queue on shutdown: {Message}", e.GetBaseException().Message);
        }
    }

    private async Task<int?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await OperationClaims.ClaimAsync(scope.ServiceProvider.GetRequiredService<QuarryDb>(), options.StoreKind, WorkerId, ct);
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        foreach (var id in await OperationClaims.HeartbeatAsync(db, WorkerId, [.. _running.Keys], ct))
            if (_running.TryGetValue(id, out var abort)) await abort.CancelAsync();
        if (_reachableSince is not DateTime since || DateTime.UtcNow - since < OperationClaims.StaleAfter) return;
        var failed = await OperationClaims.FailStaleAsync(db, ct);
        if (failed > 0) logger.LogWarning("Failed {Count} operation(s) whose server stopped sending heartbeats", failed);
    }

    private async Task RunAsync(int operationId, CancellationToken stopping)
    {
        // Registered before the first await, so the next heartbeat already counts it.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[operationId] = abort;
        // Off the polling loop: on SQLite, "async" database calls complete synchronously and would hold up the
        // heartbeats that notice abort requests.
        await Task.Yield();
        string result, message;
        string? resultJson = null;
        var (type, leftUntouched) = ("operation", "nothing was changed");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var operation = await scope.ServiceProvider.GetRequiredService<QuarryDb>().Operations.AsNoTracking()
                .SingleAsync(o => o.Id == operationId, abort.Token);
            type = operation.Type;
            // Queued by another (newer or older) server version that runs a type this one does not: fail it plainly.
            if (scope.ServiceProvider.GetKeyedService<IOperationRunner>(operation.Type) is not { } runner)
                (result, message) = (OperationResult.Failure, $"This Quarry server cannot run operations of type '{operation.Type}'; nothing was changed.");
            else
            {
                leftUntouched = runner.LeftUntouched;
                var outcome = await runner.RunAsync(operation, abort.Token);
                (result, message, resultJson) = (OperationResult.Success, outcome.Message, outcome.ResultJson);
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            _running.TryRemove(operationId, out _);
            return; // shutting down: whatever the cancelled work threw, ExecuteAsync hands it back to the queue
        }
        catch (Exception e) when (e is OperationAbortedException || abort.IsCancellationRequested)
        {
            // Once asked to stop, any failure is the abort's doing (a driver may report it as a timeout or a broken connection).
            (result, message) = (OperationResult.Aborted, $"Aborted by a user; {leftUntouched}.");
        }
        catch (ConnectorException e)
        {
            (result, message) = (OperationResult.Failure, e.Message);
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || StoreFailures.IsDiskFull(e) || StoreFailures.IsReadOnly(e))
        {
            logger.LogWarning("Operation {OperationId} lost the store: {Message}", operationId, e.GetBaseException().Message);
            (result, message) = (OperationResult.Failure, $"Quarry's store could not be reached or written while this {type} ran, so its result was not saved; {leftUntouched}. Run it again.");
        }
        catch (Exception e)
        {
            // Not a database-side failure Quarry knows: log the type and message (never connection details) for the operator.
            logger.LogError("Operation {OperationId} failed unexpectedly: {Type}: {Message}", operationId, e.GetType().Name, e.Message);
            (result, message) = (OperationResult.Failure, $"The {type} failed unexpectedly ({e.GetType().Name}: {e.Message}); {leftUntouched}.");
        }
        // Not running any more, whether or not the store takes the result now: no more heartbeats for it.
        _unrecorded[operationId] = (result, message, resultJson);
        _running.TryRemove(operationId, out _);
        logger.LogInformation("Operation {OperationId} finished: {Result}: {Message}", operationId, result, message);
        try
        {
            await RecordAsync(operationId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Operation {OperationId} could not record its result yet ({Result}); it will when the store answers: {Message}",
                operationId, result, e.GetBaseException().Message);
        }
        signal.Notify();
    }

    private async Task RecordUnrecordedAsync(CancellationToken ct)
    {
        foreach (var id in _unrecorded.Keys) await RecordAsync(id, ct);
    }

    private async Task RecordAsync(int operationId, CancellationToken ct)
    {
        if (!_unrecorded.TryGetValue(operationId, out var outcome)) return;
        await using var scope = scopes.CreateAsyncScope();
        var now = DateTime.UtcNow;
        await scope.ServiceProvider.GetRequiredService<QuarryDb>().Operations
            .Where(o => o.Id == operationId && o.WorkerId == WorkerId && o.State == OperationState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OperationState.Finished)
                .SetProperty(o => o.Result, outcome.Result)
                .SetProperty(o => o.Message, outcome.Message)
                .SetProperty(o => o.ResultJson, outcome.ResultJson)
                .SetProperty(o => o.EndTime, now)
                .SetProperty(o => o.HeartbeatAt, now), ct);
        _unrecorded.TryRemove(operationId, out _);
    }
}

public static class OperationsSetup
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<OperationSignal>();
        // A fresh interceptor per context: it tracks what that context's current transaction queued.
        services.ConfigureDbContext<Store.QuarryDb>((provider, db) =>
            db.AddInterceptors(new OperationQueuedInterceptor(provider.GetRequiredService<OperationSignal>())));
        services.AddScoped<OperationProgress>();
        services.AddScoped<Scan.EnrichmentWriteBack>();
        services.AddSingleton<OperationTypes>();
        // One line per operation type; the worker and the API find runners by type.
        services.AddOperationRunner<SyncRunner>(SyncRunner.TypeName, "catalog");
        services.AddOperationRunner<Profile.ProfileRunner>(Profile.ProfileRunner.TypeName);
        services.AddOperationRunner<Scan.ScanRunner>(Scan.ScanRunner.TypeName);
        services.AddOperationRunner<Export.ExportRunner>(Export.ExportRunner.TypeName);
        services.AddOperationRunner<Materialize.MaterializeRunner>(Materialize.MaterializeRunner.TypeName);
        services.AddHostedService<OperationWorker>();
        return services;
    }
}
