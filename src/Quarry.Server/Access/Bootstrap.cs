namespace Quarry.Server.Access;

/// <summary>Creates what a fresh store needs: the built-in Public team and the first admin with its token.</summary>
internal static class Bootstrap
{
    public static async Task EnsureAsync(QuarryDb db, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        if (!await db.Teams.AnyAsync(t => t.IsBuiltin, ct))
        {
            db.Teams.Add(new Team { Name = Team.PublicName, NameKey = Names.Key(Team.PublicName), IsBuiltin = true, CreatedAt = DateTime.UtcNow });
            await SaveIgnoringRaceAsync(db, ct);
        }

        if (!await db.Users.AnyAsync(ct))
        {
            // The user first, then its token, in one transaction: a generated token names its user (its `sub`).
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var admin = new User { Name = "admin", NameKey = "admin", Role = Role.Admin, CreatedAt = DateTime.UtcNow };
            db.Users.Add(admin);
            if (!await SaveIgnoringRaceAsync(db, ct)) return;
            var now = DateTime.UtcNow;
            var token = string.IsNullOrWhiteSpace(options.AdminToken) ? Tokens.Generate(admin.Id, now, null) : options.AdminToken.Trim();
            db.ApiTokens.Add(new ApiToken { UserId = admin.Id, Name = "bootstrap", TokenHash = Tokens.Hash(token), CreatedAt = now });
            if (!await SaveIgnoringRaceAsync(db, ct)) return;
            await transaction.CommitAsync(ct);
            logger.LogInformation("Created the first admin user 'admin'");
            if (string.IsNullOrWhiteSpace(options.AdminToken)) options.AnnounceAdminToken?.Invoke(token);
            return;
        }

        if (string.IsNullOrWhiteSpace(options.AdminToken))
        {
            if (!await db.Users.AnyAsync(u => u.Role == Role.Admin, ct))
                logger.LogWarning("No user has the Admin role. To restore one, start the server once with QUARRY_ADMIN_TOKEN set to a new token: it makes an Admin holding that token.");
            return;
        }
        await EnsureAdminTokenAsync(db, options.AdminToken.Trim(), logger, ct);
    }

    /// <summary>
    /// QUARRY_ADMIN_TOKEN on a store that already has users: that token keeps working as an Admin's. It is also the way
    /// back when no Admin is left (lost, or lowered by mistake): the user holding the token, or else the user
    /// <c>admin</c> (created when missing), becomes an Admin holding it.
    /// </summary>
    private static async Task EnsureAdminTokenAsync(QuarryDb db, string token, ILogger logger, CancellationToken ct)
    {
        var hash = Tokens.Hash(token);
        var holder = await db.ApiTokens.Where(t => t.TokenHash == hash).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
        if (await db.Users.AnyAsync(u => u.Role == Role.Admin, ct))
        {
            if (holder is not null) return;
            var adminId = await db.Users.Where(u => u.Role == Role.Admin).OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(ct);
            db.ApiTokens.Add(new ApiToken { UserId = adminId, Name = "bootstrap", TokenHash = hash, CreatedAt = DateTime.UtcNow });
            await SaveIgnoringRaceAsync(db, ct);
            return;
        }

        var user = holder is int id
            ? await db.Users.SingleAsync(u => u.Id == id, ct)
            : await db.Users.SingleOrDefaultAsync(u => u.NameKey == "admin", ct);
        if (user is null)
        {
            user = new User { Name = "admin", NameKey = "admin", CreatedAt = DateTime.UtcNow };
            db.Users.Add(user);
        }
        user.Role = Role.Admin;
        if (holder is null) user.Tokens.Add(new ApiToken { Name = "bootstrap", TokenHash = hash, CreatedAt = DateTime.UtcNow });
        if (await SaveIgnoringRaceAsync(db, ct))
            logger.LogWarning("No user had the Admin role: made '{User}' an Admin holding the QUARRY_ADMIN_TOKEN token", user.Name);
    }

    /// <summary>Several instances may start at once; whoever loses the unique-index race just moves on.</summary>
    private static async Task<bool> SaveIgnoringRaceAsync(QuarryDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
