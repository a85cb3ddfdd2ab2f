namespace Quarry.Server.Connectors;

/// <summary>
/// Runs a connector's work so that its caller stops waiting as soon as the token is cancelled. The drivers don't
/// always listen: Npgsql ignores the token while it waits for the server's answer to its startup message, and
/// Microsoft.Data.Sqlite runs synchronously, waiting on a locked file for the whole command timeout. Abandoned work
/// carries on until its own timeout and disposes its connection; its failure is observed here, so none escapes.
/// </summary>
internal static class Abandonable
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // On the thread pool: a synchronous driver would otherwise block the caller before it could stop waiting.
        var task = Task.Run(work, CancellationToken.None);
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }
}
