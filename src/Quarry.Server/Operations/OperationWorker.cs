using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quarry.Server.Connectors;
using Quarry.Server.Operations.Sync;
using Quarry.Server.Store;

namespace Quarry.Server.Operations;

/// <summary>
/// Runs queued operations in every server instance, at most <see cref="ServerOptions.Workers"/> at once. The queue is
/// the operations table, so instances sharing a PostgreSQL store share the work; each claimed operation gets heartbeats
/// so that, if this instance dies, another one fails it instead of leaving it running forever. It claims, heartbeats and
/// hands each operation to the <see cref="IOperationRunner"/> registered for its type; what a runner does is its own.
/// </summary>
public sealed class OperationWorker(IServiceScopeFactory scopes, ServerOptions options, OperationSignal signal, ILogger<OperationWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();

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
                    if (DateTime.UtcNow >= nextHeartbeat)
                    {
                        await HeartbeatAsync(stopping);
                        nextHeartbeat = DateTime.UtcNow + HeartbeatInterval;
                    }
                    tasks.RemoveAll(t => t.IsCompleted);
                    while (tasks.Count < Math.Max(1, options.Workers) && await ClaimAsync(stopping) is int id)
                        tasks.Add(RunAsync(id, stopping));
                }
                catch (Exception e) when (!stopping.IsCancellationRequested && e is System.Data.Common.DbException or DbUpdateException or TimeoutException)
                {
                    // The store may be restarting; keep the worker alive and try again at the next poll.
                    logger.LogWarning("Operation worker could not reach the store: {Message}", e.Message);
                }
                await signal.WaitAsync(PollInterval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(tasks);
        await using var scope = scopes.CreateAsyncScope();
        var requeued = await OperationClaims.RequeueAsync(scope.ServiceProvider.GetRequiredService<QuarryDb>(), WorkerId, CancellationToken.None);
        if (requeued > 0) logger.LogInformation("Handed {Count} unfinished operation(s) back to the queue on shutdown", requeued);
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
        foreach (var id in await OperationClaims.HeartbeatAsync(db, WorkerId, ct))
            if (_running.TryGetValue(id, out var abort)) await abort.CancelAsync();
        var failed = await OperationClaims.FailStaleAsync(db, ct);
        if (failed > 0) logger.LogWarning("Failed {Count} operation(s) whose server stopped sending heartbeats", failed);
    }

    private async Task RunAsync(int operationId, CancellationToken stopping)
    {
        // Off the polling loop: on SQLite, "async" database calls complete synchronously and would hold up the
        // heartbeats that notice abort requests.
        await Task.Yield();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[operationId] = abort;
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
        catch (Exception e)
        {
            // Not a database-side failure Quarry knows: log the type and message (never connection details) for the operator.
            logger.LogError("Operation {OperationId} failed unexpectedly: {Type}: {Message}", operationId, e.GetType().Name, e.Message);
            (result, message) = (OperationResult.Failure, $"The {type} failed unexpectedly ({e.GetType().Name}: {e.Message}); {leftUntouched}.");
        }
        finally
        {
            _running.TryRemove(operationId, out _);
        }
        try
        {
            await FinishAsync(operationId, result, message, resultJson);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // Left running without heartbeats: the stale check (here or in another instance) fails it later.
            logger.LogError("Operation {OperationId} could not record its result ({Result}): {Message}", operationId, result, e.Message);
        }
        signal.Notify();
    }

    private async Task FinishAsync(int operationId, string result, string message, string? resultJson)
    {
        logger.LogInformation("Operation {OperationId} finished: {Result}: {Message}", operationId, result, message);
        await using var scope = scopes.CreateAsyncScope();
        var now = DateTime.UtcNow;
        await scope.ServiceProvider.GetRequiredService<QuarryDb>().Operations
            .Where(o => o.Id == operationId && o.WorkerId == WorkerId && o.State == OperationState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OperationState.Finished)
                .SetProperty(o => o.Result, result)
                .SetProperty(o => o.Message, message)
                .SetProperty(o => o.ResultJson, resultJson)
                .SetProperty(o => o.EndTime, now)
                .SetProperty(o => o.HeartbeatAt, now), CancellationToken.None);
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
        services.AddSingleton<OperationTypes>();
        // One line per operation type; the worker and the API find runners by type.
        services.AddOperationRunner<SyncRunner>(SyncRunner.TypeName, "catalog");
        services.AddHostedService<OperationWorker>();
        return services;
    }
}
