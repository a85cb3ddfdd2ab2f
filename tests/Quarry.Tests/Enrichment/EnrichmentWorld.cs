using Quarry.Server.Catalog;
using Quarry.Server.Operations.Scan;
using Quarry.Server.Quality;

namespace Quarry.Tests.Enrichment;

/// <summary>
/// A real server with an <see cref="EnrichmentTarget"/> and source datastores linked to it, whose catalogs, checks and
/// scan results are written through the server's own store (QuarryDb), as a sync and a scan would.
/// </summary>
public sealed class EnrichmentWorld : IAsyncDisposable
{
    private EnrichmentWorld(QuarryTestServer server, EnrichmentTarget target) => (Server, Target) = (server, target);

    public QuarryTestServer Server { get; }
    public EnrichmentTarget Target { get; }

    public static async Task<EnrichmentWorld> StartAsync(EnrichmentKind kind, StoreKind store = StoreKind.Sqlite, (string User, string Password)? login = null)
    {
        var server = await QuarryTestServer.StartAsync(store);
        return new EnrichmentWorld(server, await EnrichmentTarget.CreateAsync(server, kind, login));
    }

    /// <summary>A source datastore linked to the enrichment datastore, with one container holding <paramref name="fields"/>.</summary>
    public async Task<(int Datastore, int Container)> AddSourceAsync(string name, string prefix, string container, params string[] fields)
    {
        var connectionId = await Server.Admin.CreateIdAsync("/api/connections",
            new { name = name + "-db", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password = "pw", database = "shop" });
        var datastore = await Server.Admin.CreateIdAsync("/api/datastores", new
        {
            name, connection_id = connectionId, database = "shop", schema = "public", enrichment_datastore_id = Target.DatastoreId, enrichment_prefix = prefix,
        });
        return (datastore, await AddContainerAsync(datastore, container, fields));
    }

    /// <summary>The usual source: datastore <c>shop</c> (prefix <c>_shop</c>) whose <c>orders</c> has <paramref name="checks"/> notNull checks on <c>email</c>.</summary>
    public async Task<(int Shop, int Orders, List<int> Checks)> AddShopAsync(int checks)
    {
        var (shop, orders) = await AddSourceAsync("shop", "_shop", "orders", "email");
        return (shop, orders, await AddChecksAsync(orders, "email", checks));
    }

    public async Task<int> AddContainerAsync(int datastore, string name, params string[] fields) =>
        await WithStoreAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var container = new Container
            {
                DatastoreId = datastore, Name = name, ContainerType = "table", CreatedAt = now, UpdatedAt = now,
                Fields = fields.Select((f, i) => new Field { Name = f, DataType = "text", Ordinal = i + 1, Nullable = true, CreatedAt = now, UpdatedAt = now }).ToList(),
            };
            db.Containers.Add(container);
            await db.SaveChangesAsync();
            return container.Id;
        });

    /// <summary>Adds <paramref name="count"/> notNull checks on <paramref name="field"/>, as the API would store them.</summary>
    public async Task<List<int>> AddChecksAsync(int container, string field, int count) =>
        await WithStoreAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var checks = Enumerable.Range(1, count).Select(i => new QualityCheck
            {
                ContainerId = container, Rule = "notNull", FieldsJson = JsonSerializer.Serialize(new[] { field }), IdentityKey = $"uid:check-{container}-{i}",
                Uid = $"check-{container}-{i}", Description = $"{field} is set ({i})", CreatedAt = now, UpdatedAt = now,
            }).ToList();
            db.QualityChecks.AddRange(checks);
            await db.SaveChangesAsync();
            return checks.Select(c => c.Id).ToList();
        });

    /// <summary>
    /// Records a finished scan of <paramref name="datastore"/> over <paramref name="rows"/> rows as the scan does (through
    /// <see cref="StoredScans"/>): each check in <paramref name="failing"/> fails with its count and sample rows (a JSON array), the others pass.
    /// </summary>
    public Task<int> RecordScanAsync(int datastore, IReadOnlyList<int> checks, long rows, IReadOnlyDictionary<int, (long Failed, string SamplesJson)> failing) =>
        StoredScans.RecordAsync(Server, datastore, checks.Select(c => failing.TryGetValue(c, out var f)
            ? new CheckOutcomeRow(c, CheckOutcome.Failed, rows, f.Failed, $"{f.Failed} of {rows} rows are null",
                JsonSerializer.Deserialize<List<JsonElement>>(f.SamplesJson)!.Cast<object>().ToList())
            : new CheckOutcomeRow(c, CheckOutcome.Passed, rows, 0)).ToArray());

    /// <summary>Runs the write-back of one scan in the server, as the scan does at its end.</summary>
    public async Task<EnrichmentWritten?> WriteBackAsync(int operationId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EnrichmentWriteBack>().WriteAsync(operationId, CancellationToken.None);
    }

    public async Task<T> WithStoreAsync<T>(Func<QuarryDb, Task<T>> work)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<QuarryDb>());
    }

    public Task<List<Dictionary<string, object?>>?> RowsAsync(string table, string orderBy = "1") => Target.RowsAsync(table, orderBy);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Target.DisposeAsync();
    }
}
