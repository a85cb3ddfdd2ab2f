using System.Data.Common;

namespace Quarry.Server.Operations;

/// <summary>
/// The store-side rules of the shared queue: claiming a queued operation atomically, heartbeats, and failing
/// operations whose server stopped. Every server instance runs these against the same store.
/// </summary>
public static class OperationClaims
{
    /// <summary>An instance that has not written a heartbeat for this long is taken to be gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Now, by the store's clock. One instance writes a heartbeat and another judges it stale: on a shared
    /// PostgreSQL both read its clock, so instances whose own clocks disagree never fail each other's work.
    /// A SQLite store is served by one instance, whose clock is the only one.
    /// </summary>
    public static async Task<DateTime> StoreNowAsync(QuarryDb db, CancellationToken ct) => db.Database.IsNpgsql()
        ? await db.Database.SqlQuery<DateTime>($"SELECT now() AS \"Value\"").SingleAsync(ct)
        : DateTime.UtcNow;

    /// <summary>
    /// Marks the oldest queued operation running for <paramref name="workerId"/> and returns its id, or null when
    /// nothing is queued. PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so instances never wait on or take the same row.
    /// SQLite: a single UPDATE that only matches while the row is still queued (SQLite has one writer at a time).
    /// An operation whose datastore already has an operation of any type running waits (docs/sync.md, "one operation at a
    /// time per datastore"), so two syncs never write one catalog at once and nothing reads a catalog while a sync rewrites it.
    /// </summary>
    public static async Task<int?> ClaimAsync(QuarryDb db, StoreKind kind, string workerId, CancellationToken ct)
    {
        var sql = kind == StoreKind.PostgreSql
            ? """
              UPDATE operations SET state = 'running', worker_id = @worker, heartbeat_at = now(), start_time = now()
              WHERE id = (
                  SELECT q.id FROM operations q
                  WHERE q.state = 'queued'
                    AND NOT EXISTS (SELECT 1 FROM operations r WHERE r.datastore_id = q.datastore_id AND r.state = 'running')
                  ORDER BY q.id LIMIT 1
                  FOR UPDATE SKIP LOCKED)
              AND state = 'queued'
              RETURNING id
              """
            : """
              UPDATE operations SET state = 'running', worker_id = @worker, heartbeat_at = @now, start_time = @now
              WHERE id = (
                  SELECT q.id FROM operations q
                  WHERE q.state = 'queued'
                    AND NOT EXISTS (SELECT 1 FROM operations r WHERE r.datastore_id = q.datastore_id AND r.state = 'running')
                  ORDER BY q.id LIMIT 1)
              AND state = 'queued'
              RETURNING id
              """;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Add(command, "@worker", workerId);
            // PostgreSQL stamps the claim with its own clock in the statement (see StoreNowAsync); SQLite has one instance.
            if (kind == StoreKind.Sqlite) Add(command, "@now", DateTime.UtcNow);
            var id = await command.ExecuteScalarAsync(ct);
            return id is null or DBNull ? null : Convert.ToInt32(id, System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>
    /// Tells the other instances that this one is still running <paramref name="running"/> (only what it really runs:
    /// an operation it lost track of must go stale); returns the ids among them a user asked to abort.
    /// </summary>
    public static async Task<List<int>> HeartbeatAsync(QuarryDb db, string workerId, IReadOnlyCollection<int> running, CancellationToken ct)
    {
        if (running.Count == 0) return [];
        var now = await StoreNowAsync(db, ct);
        var ids = running.ToList();
        await db.Operations.Where(o => o.WorkerId == workerId && o.State == OperationState.Running && ids.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.HeartbeatAt, now), ct);
        return await db.Operations.AsNoTracking()
            .Where(o => o.WorkerId == workerId && o.State == OperationState.Running && o.AbortRequested && ids.Contains(o.Id))
            .Select(o => o.Id).ToListAsync(ct);
    }

    /// <summary>Fails operations left running by an instance that stopped without finishing them; returns how many.</summary>
    public static async Task<int> FailStaleAsync(QuarryDb db, CancellationToken ct)
    {
        var now = await StoreNowAsync(db, ct);
        var cutoff = now - StaleAfter;
        return await db.Operations.Where(o => o.State == OperationState.Running && (o.HeartbeatAt == null || o.HeartbeatAt < cutoff))
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OperationState.Finished)
                .SetProperty(o => o.Result, o => o.AbortRequested ? OperationResult.Aborted : OperationResult.Failure)
                .SetProperty(o => o.Message, "The server running this operation stopped before it finished; the catalog was left as it was. Run it again.")
                .SetProperty(o => o.EndTime, now), ct);
    }

    /// <summary>On a clean shutdown, hands this instance's unfinished operations back to the queue for another instance.</summary>
    public static Task<int> RequeueAsync(QuarryDb db, string workerId, CancellationToken ct) =>
        db.Operations.Where(o => o.WorkerId == workerId && o.State == OperationState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OperationState.Queued)
                .SetProperty(o => o.WorkerId, (string?)null)
                .SetProperty(o => o.StartTime, (DateTime?)null)
                .SetProperty(o => o.HeartbeatAt, (DateTime?)null), ct);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
