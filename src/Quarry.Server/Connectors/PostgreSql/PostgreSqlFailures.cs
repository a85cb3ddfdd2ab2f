using System.Net.Sockets;
using Npgsql;

namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>Turns Npgsql failures into <see cref="ConnectorException"/>s that say what to fix and never hold the password.</summary>
internal static class PostgreSqlFailures
{
    public static ConnectorException Map(Exception e, ConnectionDetails connection, string database)
    {
        var server = $"{connection.Host}:{connection.Port ?? PostgreSqlConnector.DefaultPort}";
        var (failure, message) = Find<PostgresException>(e) switch
        {
            { SqlState: "28P01" or "28000" } pg => (ConnectorFailure.AuthenticationFailed,
                $"PostgreSQL at {server} rejected user '{connection.Username}' ({pg.SqlState}: {pg.MessageText}). Check the connection's username and password."),
            { SqlState: "3D000" } => (ConnectorFailure.CatalogMissing,
                $"Database '{database}' does not exist on {server}. Check the datastore's database (names are case-sensitive)."),
            { SqlState: "3F000" } pg => (ConnectorFailure.SchemaMissing, $"{pg.MessageText}. Check the datastore's schema."),
            { SqlState: "42501" } pg => (ConnectorFailure.PermissionDenied,
                $"Permission denied for user '{connection.Username}' on {server}/{database}: {pg.MessageText}. Grant the user CONNECT on the database, USAGE on the schema and SELECT on its tables."),
            { SqlState: "57014" } => (ConnectorFailure.Timeout,
                $"A query on {server}/{database} took too long and was cancelled. Raise the connection parameter command_timeout (catalog queries; "
                + $"default {PostgreSqlConnector.DefaultCommandTimeout}) or scan_timeout (scan statements; default {PostgreSqlConnector.DefaultScanTimeout}), in seconds."),
            // Syntax errors, unknown columns or functions (class 42) and values the statement cannot handle (class 22).
            { SqlState: var state } pg when state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("22", StringComparison.Ordinal) =>
                (ConnectorFailure.InvalidStatement, $"PostgreSQL refused the statement: {pg.MessageText} ({pg.SqlState})."),
            { } pg => (ConnectorFailure.Other, $"PostgreSQL at {server} failed: {pg.SqlState}: {pg.MessageText}"),
            null => Unclassified(e, server, database),
        };
        return new ConnectorException(failure, Scrub(message, connection.Password), e);
    }

    private static (ConnectorFailure, string) Unclassified(Exception e, string server, string database)
    {
        if (Find<TimeoutException>(e) is not null)
            return (ConnectorFailure.Timeout,
                $"PostgreSQL at {server} (database '{database}') did not answer in time. Check that the host and port are right and reachable from the Quarry server, or raise the connection parameters connect_timeout / command_timeout.");
        if (Find<SocketException>(e) is { } socket)
            return (ConnectorFailure.Unreachable, socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"Nothing accepts connections at {server} (connection refused). Check the host and port, and that PostgreSQL is running and listening there.",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"Host '{server.Split(':')[0]}' could not be resolved. Check the connection's host name.",
                _ => $"Cannot reach PostgreSQL at {server} ({socket.SocketErrorCode}). Check the host, port and any firewall between the Quarry server and the database.",
            });
        if (e is ArgumentException)
            return (ConnectorFailure.Other, $"The connection settings are not valid: {e.Message}");
        return (ConnectorFailure.Unreachable, $"Cannot talk to PostgreSQL at {server}: {e.Message}");
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T match) return match;
        return null;
    }

    /// <summary>
    /// Belt and braces: no driver message should hold the password, but never let one through if it does. Only where it
    /// stands as a value of its own (not inside a word): masking every "a" of a message for the password "a" would
    /// both garble it and tell anyone who reads it which letters the password is made of.
    /// </summary>
    public static string Scrub(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message
            : System.Text.RegularExpressions.Regex.Replace(message, $"(?<![\\p{{L}}\\p{{N}}]){System.Text.RegularExpressions.Regex.Escape(password)}(?![\\p{{L}}\\p{{N}}])", "***");
}
