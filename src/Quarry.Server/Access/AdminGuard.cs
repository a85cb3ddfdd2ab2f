namespace Quarry.Server.Access;

/// <summary>
/// The server always keeps an Admin. Two Admins demoting each other at the same moment would each see the other
/// still an Admin and both succeed, so every change that can remove an Admin checks and writes inside one
/// transaction holding one lock: the checks run one after the other and the second sees the first's result.
/// </summary>
internal static class AdminGuard
{
    /// <summary>The PostgreSQL advisory lock of Admin changes (any constant other instances agree on).</summary>
    private const long LockKey = 0x5175_6172_7279_4164;

    /// <summary>
    /// Takes the lock within the caller's open transaction. On SQLite the store's write gate already runs one
    /// transaction at a time (and a SQLite store has one instance), so there is nothing more to take.
    /// </summary>
    public static async Task LockAsync(QuarryDb db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
    }

    /// <summary>Under the lock: refuses when <paramref name="userId"/> is the only Admin left, or the caller is no longer one.</summary>
    public static async Task EnsureAnotherAdminRemainsAsync(QuarryDb db, int userId, string userName, int callerId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == callerId && u.Role == Role.Admin, ct))
            throw new ForbiddenProblem("Changing an Admin needs the Admin role, and yours was just lowered by another Admin.");
        if (!await db.Users.AnyAsync(u => u.Role == Role.Admin && u.Id != userId, ct))
            throw new ConflictProblem($"'{userName}' is the last Admin; make another user an Admin first, so the server always keeps one.");
    }
}
