namespace Quarry.Server.Config;

/// <summary>
/// Config as code: <c>POST /api/config/plan</c> says what applying a config folder's desired state would do,
/// field by field; <c>POST /api/config/apply</c> does it in one transaction. Access is per item, by the
/// single-item endpoints' rules, so a Member gets a refusal per item rather than one 403.
/// </summary>
public static class ConfigApi
{
    // Concurrent applies are serialized so that two imports of the same folder can't both decide to create the
    // same resource: PostgreSQL instances share a transaction-level advisory lock; SQLite serves one instance.
    private const long ApplyLockKey = 0x51_75_61_72_72_79;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> SqliteApply = new();
    private const int Attempts = 3;

    public static RouteGroupBuilder MapConfig(this IEndpointRouteBuilder app)
    {
        // A whole config folder is one body: larger than any other endpoint takes.
        var group = app.MapGroup("/api/config").WithTags("Config as code").RequireMember().WithProblems()
            .WithMetadata(new BodySizeLimit(InputLimits.ConfigBodyBytes));
        group.MapPost("/plan", PlanAsync);
        group.MapPost("/apply", ApplyAsync);
        return group;
    }

    public static IServiceCollection AddConfigAsCode(this IServiceCollection services) => services.AddScoped<ConfigEngine>();

    private static async Task<Ok<ConfigResult>> PlanAsync(ConfigRequest request, ConfigEngine engine, CancellationToken ct)
    {
        var items = await engine.RunAsync(request, write: false, ct);
        return TypedResults.Ok(new ConfigResult(false, Namespace(request), items, null));
    }

    private static async Task<Ok<ConfigResult>> ApplyAsync(ConfigRequest request, IServiceScopeFactory scopes, ServerOptions options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A fresh scope per attempt: the services cache what they loaded, and a retry must see the store anew.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                return TypedResults.Ok(await ApplyOnceAsync(request, scope.ServiceProvider, options, ct));
            }
            catch (DbUpdateException e) when (attempt < Attempts && UniqueViolation.IsUniqueViolation(e))
            {
                // Someone created one of these names outside config import between our read and our write
                // (the lock only serializes imports). Everything was rolled back; plan again against the new state.
            }
        }
    }

    private static async Task<ConfigResult> ApplyOnceAsync(ConfigRequest request, IServiceProvider services, ServerOptions options, CancellationToken ct)
    {
        var db = services.GetRequiredService<QuarryDb>();
        var engine = services.GetRequiredService<ConfigEngine>();
        var store = options.StoreKind;
        // One lock per SQLite file: several servers in one process (tests, benches) each have their own store.
        var sqliteLock = store == StoreKind.Sqlite ? SqliteApply.GetOrAdd(options.StoreConnectionString, _ => new SemaphoreSlim(1, 1)) : null;
        if (sqliteLock is not null) await sqliteLock.WaitAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (store == StoreKind.PostgreSql) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ApplyLockKey})", ct);
            var items = await engine.RunAsync(request, write: true, ct);
            var failed = items.Count(i => i.Action is ConfigActions.Failed or ConfigActions.Skipped);
            if (failed > 0 && !request.ContinueOnError)
            {
                await transaction.RollbackAsync(ct);
                var rolledBack = items.Select(i => i.Action == ConfigActions.Create ? i with { Id = null } : i).ToList();
                return new ConfigResult(false, Namespace(request), rolledBack,
                    $"Nothing was applied: {failed} item(s) failed. Fix them, or pass continue_on_error to apply the rest.");
            }
            await transaction.CommitAsync(ct);
            return new ConfigResult(true, Namespace(request), items,
                failed > 0 ? $"{failed} item(s) failed or were skipped; every other item was applied." : null);
        }
        finally
        {
            sqliteLock?.Release();
        }
    }

    private static string? Namespace(ConfigRequest request) => string.IsNullOrWhiteSpace(request.Namespace) ? null : request.Namespace.Trim();
}
