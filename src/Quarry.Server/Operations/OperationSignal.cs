namespace Quarry.Server.Operations;

/// <summary>
/// Wakes this instance's worker when it queues an operation, so the operation starts at once instead of at
/// the next poll. Other instances find it by polling the store.
/// </summary>
public sealed class OperationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the worker will look at the queue once, which covers every queued operation.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
