using Microsoft.Data.Sqlite;
using Quarry.Server.Secrets;

namespace Quarry.Server.Store;

public static class StoreSetup
{
    public static IServiceCollection AddQuarryStore(this IServiceCollection services, ServerOptions options)
    {
        services.AddDbContext<QuarryDb>(db => Configure(db, options.StoreKind, options.StoreConnectionString));
        return services;
    }

    public static void Configure(DbContextOptionsBuilder db, StoreKind kind, string connectionString)
    {
        // Loading a datastore with its tags and teams in one query returns tags × teams rows (5,000 tags and a few
        // teams took minutes on PostgreSQL): every query that includes several collections loads each on its own.
        if (kind == StoreKind.Sqlite)
            db.UseSqlite(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)).AddInterceptors(SqliteWriteGate.For(connectionString));
        else db.UseNpgsql(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
    }

    /// <summary>
    /// Brings the store up to date (or refuses to start when it is behind and migrating is off),
    /// checks the secret key matches the one the store was made with, and creates the built-in
    /// team and, on first start, the admin.
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        if (options.StoreKind == StoreKind.Sqlite)
        {
            var folder = DataFolder.Prepare(options.DataDirectory);
            DataFolder.CreateStoreFile(folder);
            try
            {
                await using var sqlite = new SqliteConnection(options.StoreConnectionString);
                await sqlite.OpenAsync(ct);
                await using var wal = sqlite.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                await wal.ExecuteNonQueryAsync(ct);
            }
            catch (SqliteException e) when (StoreFailures.IsReadOnly(e) || StoreFailures.IsDiskFull(e))
            {
                // quarry.db itself (or its -wal/-shm) is read-only or immutable, or the disk is full.
                throw DataFolder.NotWritable(folder, e);
            }
        }

        var migrator = new StoreMigrator(options.StoreKind, options.StoreConnectionString, logger);
        if (options.Migrate) await migrator.MigrateAsync(ct);
        else
        {
            var applied = await migrator.AppliedAsync(ct);
            var pending = StoreMigrator.All(options.StoreKind).Where(m => !applied.Contains(m.Version)).ToList();
            if (pending.Count > 0)
                throw new InvalidOperationException($"The store is behind by {pending.Count} migration(s) ({string.Join(", ", pending.Select(p => p.Name))}). Run 'quarry db migrate' first, or start without --no-migrate.");
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        await CheckSecretKeyAsync(db, scope.ServiceProvider.GetRequiredService<SecretBox>(), ct);
        await Bootstrap.EnsureAsync(db, options, logger, ct);
    }

    private static async Task CheckSecretKeyAsync(QuarryDb db, SecretBox secrets, CancellationToken ct)
    {
        const string key = "secret_key_fingerprint";
        var stored = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (stored is null)
        {
            db.Settings.Add(new Setting { Key = key, Value = secrets.Fingerprint });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { db.ChangeTracker.Clear(); await CheckSecretKeyAsync(db, secrets, ct); }
            return;
        }
        if (stored.Value != secrets.Fingerprint)
            throw new InvalidOperationException("The secret key does not match the one this store was created with, so stored passwords could not be read. Start with the same QUARRY_SECRET_KEY (or the data folder's secret.key) as the other instances.");
    }
}
