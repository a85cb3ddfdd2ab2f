namespace Quarry.Tests.Support;

/// <summary>
/// A class fixture holding one <typeparamref name="T"/> (a server, or a server with its data) per store, started on
/// first use and disposed after the class's last test. For classes whose tests only read what they share, or add
/// only what no other test of the class counts: each test then skips a server start and its setup.
/// </summary>
public abstract class PerStore<T>(Func<StoreKind, Task<T>> start) : IAsyncLifetime where T : IAsyncDisposable
{
    private readonly Dictionary<StoreKind, Task<T>> _started = [];

    public Task<T> For(StoreKind kind)
    {
        lock (_started)
        {
            if (!_started.TryGetValue(kind, out var started)) _started[kind] = started = start(kind);
            return started;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // A start that failed failed its test already; there is nothing of it to stop.
        foreach (var started in _started.Values.Where(s => s.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
    }
}

/// <summary>One Quarry server per store, shared by the tests of a class.</summary>
public sealed class ServerPerStore() : PerStore<QuarryTestServer>(kind => QuarryTestServer.StartAsync(kind));
