using System.Net.Sockets;
using MySqlConnector;

namespace Quarry.Server.Connectors.MySql;

/// <summary>Turns MySqlConnector failures into <see cref="ConnectorException"/>s that say what to fix and never hold the password.</summary>
internal static class MySqlFailures
{
    /// <summary>
    /// Errors of the statement, not the connection: syntax (1064, 1149), unknown column, table or function (1054, 1146,
    /// 1305, 1630), wrong arguments to a function (1582, 1583), values that do not convert (1292, 1366) and bad regular
    /// expressions (1139, 3685, 1927 in MariaDB's PCRE).
    /// </summary>
    private static readonly HashSet<int> InvalidStatementErrors = [1054, 1064, 1139, 1146, 1149, 1292, 1305, 1366, 1582, 1583, 1630, 1927, 3685];

    public static async Task<ConnectorException> MapAsync(Exception e, ConnectionDetails connection)
    {
        // The driver says only "Unable to connect to any of the specified MySQL hosts": find out which way it failed.
        if (FailureText.Find<MySqlException>(e) is { ErrorCode: MySqlErrorCode.UnableToConnectToHost } my && !IsTimeout(my))
            e = new MySqlConnectorDiagnosis(my, await ProbeAsync(connection));
        return Map(e, connection);
    }

    private static bool IsTimeout(Exception e) =>
        FailureText.Find<TimeoutException>(e) is not null || e.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves the host and opens a plain socket to the port, for the socket error the driver did not pass on.</summary>
    private static async Task<SocketException?> ProbeAsync(ConnectionDetails connection)
    {
        using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(connection.Host!, connection.Port ?? MySqlSourceConnector.DefaultPort, probe.Token);
            return null;
        }
        catch (SocketException socket)
        {
            return socket;
        }
        catch (OperationCanceledException)
        {
            return new SocketException((int)SocketError.TimedOut);
        }
    }

    /// <summary>The driver's failure with the socket error found by probing as its inner exception.</summary>
    private sealed class MySqlConnectorDiagnosis(MySqlException driver, SocketException? socket)
        : Exception(driver.Message, socket is null ? driver : socket);

    private static ConnectorException Map(Exception e, ConnectionDetails connection)
    {
        var server = MySqlSourceConnector.Server(connection);
        var (failure, message) = FailureText.Find<MySqlException>(e) switch
        {
            { ErrorCode: MySqlErrorCode.AccessDenied } my => (ConnectorFailure.AuthenticationFailed,
                $"MySQL at {server} rejected user '{connection.Username}' ({my.Number}: {my.Message}). Check the connection's username and password, and that the user may log in from the Quarry server's address."),
            { ErrorCode: MySqlErrorCode.HostNotPrivileged } my => (ConnectorFailure.AuthenticationFailed,
                $"MySQL at {server} refuses logins from the Quarry server's address ({my.Number}: {my.Message}). Create the user for this host, e.g. CREATE USER '{connection.Username}'@'%' …"),
            { ErrorCode: MySqlErrorCode.DatabaseAccessDenied or MySqlErrorCode.TableAccessDenied or MySqlErrorCode.ColumnAccessDenied } my => (ConnectorFailure.PermissionDenied,
                $"Permission denied for user '{connection.Username}' on {server}: {my.Message}. Grant it SELECT on the schema: GRANT SELECT, SHOW VIEW ON `schema`.* TO '{connection.Username}'@'%';"),
            { ErrorCode: MySqlErrorCode.UnknownDatabase } my => (ConnectorFailure.SchemaMissing, $"{my.Message} on {server}. Check the datastore's schema."),
            { ErrorCode: MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.QueryTimeout } => (ConnectorFailure.Timeout,
                $"A query on {server} took too long and was cancelled. Raise the connection parameter command_timeout (catalog queries; default {MySqlSourceConnector.DefaultCommandTimeout}) "
                + $"or scan_timeout (scan statements; default {MySqlSourceConnector.DefaultScanTimeout}), in seconds."),
            { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => Unreachable(e, server),
            { } my when InvalidStatementErrors.Contains(my.Number) => (ConnectorFailure.InvalidStatement, $"MySQL refused the statement: {my.Message} ({my.Number})."),
            { } my => (ConnectorFailure.Other, $"MySQL at {server} failed: {my.Number}: {my.Message}"),
            null when e is ArgumentException => (ConnectorFailure.Other, $"The connection settings are not valid: {e.Message}"),
            null => Unreachable(e, server),
        };
        return new ConnectorException(failure, FailureText.Scrub(message, connection.Password), e);
    }

    private static (ConnectorFailure, string) Unreachable(Exception e, string server)
    {
        // A connect timeout carries the socket's 'operation canceled' inside: the timeout is what happened.
        if (IsTimeout(e))
            return (ConnectorFailure.Timeout,
                $"MySQL at {server} did not answer in time. Check that the host and port are right and reachable from the Quarry server, or raise the connection parameters connect_timeout / command_timeout.");
        if (FailureText.Find<SocketException>(e) is { } socket)
            return (ConnectorFailure.Unreachable, socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"Nothing accepts connections at {server} (connection refused). Check the host and port, and that MySQL is running and listening there.",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"Host '{server[..server.LastIndexOf(':')]}' could not be resolved. Check the connection's host name.",
                _ => $"Cannot reach MySQL at {server} ({socket.SocketErrorCode}). Check the host, port and any firewall between the Quarry server and the database.",
            });
        return (ConnectorFailure.Unreachable, $"Cannot reach MySQL at {server}: {e.Message} Check the host and port.");
    }
}
