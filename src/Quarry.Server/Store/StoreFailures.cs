using Microsoft.Data.Sqlite;
using Npgsql;

namespace Quarry.Server.Store;

/// <summary>
/// Recognises the store failures an operator can do something about — a full disk, a read-only data folder, a
/// PostgreSQL store that is down or restarting — wherever EF Core or the drivers wrapped them.
/// </summary>
public static class StoreFailures
{
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoError = 10, SqliteFull = 13, SqliteCantOpen = 14;

    /// <summary>SQLITE_FULL, or PostgreSQL's disk_full (53100).</summary>
    public static bool IsDiskFull(Exception e) => Any(e, x => x switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteFull,
        PostgresException p => p.SqlState == PostgresErrorCodes.DiskFull,
        IOException io => io.HResult == 28, // ENOSPC
        _ => false,
    });

    /// <summary>The SQLite file or its folder can't be written or opened (read-only, immutable, removed).</summary>
    public static bool IsReadOnly(Exception e) => Any(e, x => x is SqliteException { SqliteErrorCode: SqliteReadOnly or SqliteCantOpen or SqliteIoError });

    /// <summary>
    /// The PostgreSQL store can't be reached or just dropped the connection (restart, shutdown, failover, too many
    /// connections). Such a request did nothing the caller can rely on, and retrying later is the right answer.
    /// </summary>
    public static bool IsUnavailable(Exception e) => Any(e, x => x switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    });

    /// <summary>
    /// The SQLite store stayed locked by another write for longer than its busy timeout (a sync writing 100,000 fields
    /// on a machine starved of CPU): it is working, not gone, and the same statement succeeds once that write commits.
    /// </summary>
    public static bool IsBusy(Exception e) => Any(e, x => x is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked });

    /// <summary>
    /// After a PostgreSQL store restarts, every idle pooled connection is dead and would fail one more request each:
    /// drop them all at the first sign, so the next request opens a fresh one.
    /// </summary>
    public static void ForgetPooledConnections(ServerOptions options)
    {
        if (options.StoreKind != StoreKind.PostgreSql) return;
        using var connection = new NpgsqlConnection(options.StoreConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    private static bool Any(Exception e, Func<Exception, bool> test)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (test(x)) return true;
            if (x is AggregateException aggregate && aggregate.InnerExceptions.Any(i => Any(i, test))) return true;
        }
        return false;
    }
}
