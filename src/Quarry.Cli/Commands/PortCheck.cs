using System.Net;
using System.Net.Sockets;

namespace Quarry.Cli.Commands;

/// <summary>Whether <c>quarry serve</c> can listen where it was told to, asked before anything is created.</summary>
internal static class PortCheck
{
    /// <summary>Null when the address is free; otherwise one line saying what to do.</summary>
    public static string? Problem(string host, int port)
    {
        if (port == 0) return null;
        IPAddress address;
        try
        {
            address = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
                : Dns.GetHostAddresses(host).First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            return $"--host {host}: not an address this machine can listen on ({e.Message}).";
        }
        try
        {
            var listener = new TcpListener(address, port);
            // Kestrel sets SO_REUSEADDR on Linux too, so a port in TIME_WAIT after a restart is not reported as taken.
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return $"Port {port} on {host} is already in use (another 'quarry serve'?). Stop it, or pick a free port with --port.";
        }
        catch (SocketException e)
        {
            return $"Cannot listen on {host}:{port}: {e.Message}.";
        }
    }
}
