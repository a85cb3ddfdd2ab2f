using Microsoft.Data.Sqlite;

namespace Quarry.Tests.Anomalies;

/// <summary>
/// A real server and a real SQLite source, synced, with a datastore <c>shop</c> in team <c>Sales</c> and three checks
/// on its <c>orders</c>: <c>notNull(amount)</c> fails on 2 of 5 rows, <c>expectedValues(status)</c> on 1, and
/// <c>notNull(id)</c> passes; <c>customers</c> has <c>notNull(name)</c>, which passes.
/// </summary>
public sealed class AnomalyWorld : IAsyncDisposable
{
    private readonly string _folder;

    private AnomalyWorld(QuarryTestServer server, string folder)
    {
        Server = server;
        _folder = folder;
    }

    public QuarryTestServer Server { get; }
    public HttpClient Admin => Server.Admin;
    public string SourcePath => Path.Combine(_folder, "shop.db");
    public int Datastore { get; private set; }
    public int Orders { get; private set; }
    public int Customers { get; private set; }
    public int AmountNotNull { get; private set; }
    public int StatusExpected { get; private set; }
    public int IdNotNull { get; private set; }
    public int NameNotNull { get; private set; }

    public static async Task<AnomalyWorld> StartAsync(StoreKind kind)
    {
        var world = new AnomalyWorld(await QuarryTestServer.StartAsync(kind), Directory.CreateTempSubdirectory("quarry-anomalies-").FullName);
        return await WorldSetup.SetUpAsync(world, w => w.SetUpAsync());
    }

    private async Task SetUpAsync()
    {
        await SourceDatabases.ExecuteSqliteAsync(SourcePath, """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, amount NUMERIC, status TEXT, email TEXT);
            INSERT INTO orders VALUES (1, 10.5, 'open', 'a@example.com'), (2, NULL, 'shipped', 'b@example.com'), (3, 99, 'lost', NULL),
                                      (4, NULL, 'open', 'd@example.com'), (5, 7, 'shipped', 'e@example.com');
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');
            """);
        await Admin.CreateIdAsync("/api/teams", new { name = "Sales" });
        var connection = await Admin.CreateIdAsync("/api/connections", new { name = "shop-file", type = "sqlite", path = SourcePath });
        Datastore = await Admin.CreateIdAsync("/api/datastores", new { name = "shop", connection_id = connection, schema = "main", teams = new[] { "Sales" } });
        var sync = await SyncApi.SyncAsync(Admin, Datastore);
        Assert.True(sync.Result == OperationResult.Success, $"the sync failed: {sync.Message}");
        var containers = await SyncApi.ContainersAsync(Admin, Datastore);
        Orders = containers.Single(c => c.Name == "orders").Id;
        Customers = containers.Single(c => c.Name == "customers").Id;
        AmountNotNull = await Admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", container_id = Orders, fields = new[] { "amount" }, tags = new[] { "finance" } });
        StatusExpected = await Admin.CreateIdAsync("/api/quality-checks",
            new { rule = "expectedValues", container_id = Orders, fields = new[] { "status" }, properties = new { list = new[] { "open", "shipped" } } });
        IdNotNull = await Admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", container_id = Orders, fields = new[] { "id" } });
        NameNotNull = await Admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", container_id = Customers, fields = new[] { "name" } });
    }

    /// <summary>Scans (the scan must succeed) and answers the anomalies it opened or updated, by check id.</summary>
    public async Task<Dictionary<int, int>> ScanAnomaliesAsync() => await StoredScans.AnomaliesOfAsync(Server, await ScanAsync());

    /// <summary>Runs a real scan of the datastore through the API, waits for it to succeed, and returns its id.</summary>
    public async Task<int> ScanAsync()
    {
        var started = await QuarryTestServer.PostJsonAsync<OperationDto>(Admin, "/api/operations/run", new { type = "scan", datastore_id = Datastore });
        var scan = await SyncApi.WaitAsync(Admin, started.Id);
        Assert.True(scan.Result == OperationResult.Success, $"the scan failed: {scan.Message}");
        return scan.Id;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return DisposeCoreAsync();
    }

    private async ValueTask DisposeCoreAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
