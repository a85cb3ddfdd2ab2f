using System.Net.Sockets;

namespace Quarry.Tests.Sync;

/// <summary>
/// A hung database server: a real loopback socket that accepts connections and never answers them, so a client
/// waits for its startup reply until its own timeout. Disposing closes every connection, ending those waits.
/// </summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SilentServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many connections it has accepted (and left unanswered).</summary>
    public int Accepted
    {
        get { lock (_accepted) return _accepted.Count; }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted) _accepted.Add(socket);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _accepting;
        _listener.Stop();
        lock (_accepted) _accepted.ForEach(s => s.Dispose());
        _stop.Dispose();
    }
}
