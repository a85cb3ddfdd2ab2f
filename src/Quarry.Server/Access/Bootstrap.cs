using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quarry.Server.Store;

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
            var token = string.IsNullOrWhiteSpace(options.AdminToken) ? Tokens.Generate() : options.AdminToken.Trim();
            var admin = new User { Name = "admin", NameKey = "admin", Role = Role.Admin, CreatedAt = DateTime.UtcNow };
            admin.Tokens.Add(new ApiToken { Name = "bootstrap", TokenHash = Tokens.Hash(token), CreatedAt = DateTime.UtcNow });
            db.Users.Add(admin);
            if (await SaveIgnoringRaceAsync(db, ct))
            {
                logger.LogInformation("Created the first admin user 'admin'");
                if (string.IsNullOrWhiteSpace(options.AdminToken)) options.AnnounceAdminToken?.Invoke(token);
            }
            return;
        }

        // QUARRY_ADMIN_TOKEN on a store that already has users: make sure that token still works, as the first admin's.
        if (!string.IsNullOrWhiteSpace(options.AdminToken))
        {
            var hash = Tokens.Hash(options.AdminToken.Trim());
            if (!await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, ct))
            {
                var adminId = await db.Users.Where(u => u.Role == Role.Admin).OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(ct);
                db.ApiTokens.Add(new ApiToken { UserId = adminId, Name = "bootstrap", TokenHash = hash, CreatedAt = DateTime.UtcNow });
                await SaveIgnoringRaceAsync(db, ct);
            }
        }
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
