using Microsoft.Data.Sqlite;

namespace Quarry.Tests.Access;

/// <summary>Every kind of caller the access rules tell apart; Viewer, Author and Editor are permissions in team T.</summary>
public enum FeatureCaller { NoToken, MemberInNoTeam, MemberViewer, MemberAuthor, MemberEditor, Manager, Admin }

/// <summary>
/// A real server whose datastore in team T reads a real SQLite source file and has been synced, so endpoints that
/// connect (tests, discovery, verification, computed containers) answer about access, not about connectivity.
/// Everything quality-related sits in T's datastore; a second datastore on the same source is in Public.
/// </summary>
public sealed class FeatureAccessWorld : IAsyncDisposable
{
    private static int _fresh;
    private readonly string _folder;

    private FeatureAccessWorld(QuarryTestServer server, string folder)
    {
        Server = server;
        _folder = folder;
    }

    public QuarryTestServer Server { get; }
    public string SourcePath => Path.Combine(_folder, "source.db");
    public int TeamT { get; private set; }
    public int Connection { get; private set; }
    public int Datastore { get; private set; }
    public int PublicDatastore { get; private set; }
    public int FinishedOperation { get; private set; }
    public int Orders { get; private set; }
    public int OrdersAmount { get; private set; }
    public int Check { get; private set; }
    public int ComputedField { get; private set; }
    public int ComputedContainer { get; private set; }
    /// <summary>An open anomaly of <see cref="Check"/>, as a scan of T's datastore recorded it.</summary>
    public int Anomaly { get; private set; }
    public Dictionary<FeatureCaller, (int Id, HttpClient Client)> Callers { get; } = [];

    /// <summary>Names valid for fields and containers as well as datastores and connections.</summary>
    public static string Fresh(string prefix) => $"{prefix}_{Interlocked.Increment(ref _fresh)}";

    public static async Task<FeatureAccessWorld> StartAsync(StoreKind kind)
    {
        var folder = Directory.CreateTempSubdirectory("quarry-access-source-").FullName;
        return await WorldSetup.SetUpAsync(new FeatureAccessWorld(await QuarryTestServer.StartAsync(kind), folder), w => w.SetUpAsync());
    }

    private async Task SetUpAsync()
    {
        // Pooling off: a pooled connection would keep the file open after the test.
        await using (var sqlite = new SqliteConnection($"Data Source={SourcePath};Pooling=False"))
        {
            await sqlite.OpenAsync();
            await using var create = sqlite.CreateCommand();
            create.CommandText = """
                CREATE TABLE orders (id INTEGER PRIMARY KEY, amount NUMERIC, status TEXT);
                CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
                INSERT INTO orders VALUES (1, 10.5, 'open'), (2, 99, 'shipped');
                """;
            await create.ExecuteNonQueryAsync();
        }

        var admin = Server.Admin;
        TeamT = await admin.CreateIdAsync("/api/teams", new { name = "T" });
        Connection = await admin.CreateIdAsync("/api/connections", new { name = "source", type = "sqlite", path = SourcePath });
        Datastore = await admin.CreateIdAsync("/api/datastores", new { name = "in-team-t", connection_id = Connection, schema = "main", teams = new[] { "T" } });
        PublicDatastore = await admin.CreateIdAsync("/api/datastores", new { name = "public-one", connection_id = Connection, schema = "main" });

        var sync = await SyncApi.SyncAsync(admin, Datastore);
        Assert.True(sync.Result == OperationResult.Success, $"the fixture's sync failed: {sync.Message}");
        FinishedOperation = sync.Id;
        Orders = (await SyncApi.ContainersAsync(admin, Datastore)).Single(c => c.Name == "orders").Id;
        OrdersAmount = (await SyncApi.FieldsAsync(admin, Orders)).Single(f => f.Name == "amount").Id;
        Check = await admin.CreateIdAsync("/api/quality-checks", CheckBody());
        ComputedField = await admin.CreateIdAsync("/api/computed-fields", ComputedFieldBody());
        ComputedContainer = await admin.CreateIdAsync("/api/computed-containers", ComputedContainerBody());
        Anomaly = await NewAnomalyAsync(Check);

        Callers[FeatureCaller.NoToken] = (0, Server.Client(null));
        foreach (var (caller, role, permission) in new[]
                 {
                     (FeatureCaller.MemberInNoTeam, Role.Member, (string?)null), (FeatureCaller.MemberViewer, Role.Member, "Viewer"),
                     (FeatureCaller.MemberAuthor, Role.Member, "Author"), (FeatureCaller.MemberEditor, Role.Member, "Editor"),
                     (FeatureCaller.Manager, Role.Manager, null), (FeatureCaller.Admin, Role.Admin, null),
                 })
        {
            var (id, token) = await Server.CreateUserAsync("as-" + caller.ToString().ToLowerInvariant(), role);
            if (permission is not null)
                await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{TeamT}/members", new { user_id = id, permission });
            Callers[caller] = (id, Server.Client(token));
        }
    }

    public object CheckBody() => new { rule = "notNull", container_id = Orders, fields = new[] { "amount" }, uid = Fresh("uid") };

    public object ComputedFieldBody() => new { name = Fresh("cleaned"), container_id = Orders, transformation = "cleanedEntity", source_fields = new[] { "status" } };

    public object ComputedContainerBody() =>
        new { name = Fresh("big_orders"), datastore_id = Datastore, container_type = "computed_table", query = "select id, amount from orders where amount > 50" };

    /// <summary>A fresh anomaly in T's datastore: a scan recorded in the store finds a check (a new one unless given) failing.</summary>
    public async Task<int> NewAnomalyAsync(int? check = null)
    {
        var failing = check ?? await Server.Admin.CreateIdAsync("/api/quality-checks", CheckBody());
        var scan = await StoredScans.RecordAsync(Server, Datastore,
            new CheckOutcomeRow(failing, "failed", 2, 1, "1 of 2 rows is null in amount", [new { id = 3, amount = (object?)null, status = "open" }]));
        return (await StoredScans.AnomaliesOfAsync(Server, scan))[failing];
    }

    /// <summary>
    /// The enrichment datastore of T's datastore (a SQLite file of its own, in team T), linked on first use: exports
    /// and materialize are refused without one, and the access rows are about access.
    /// </summary>
    public async Task<int> EnrichmentAsync()
    {
        if (_enrichment is int linked) return linked;
        var admin = Server.Admin;
        var path = Path.Combine(_folder, "results.db");
        await SourceDatabases.ExecuteSqliteAsync(path, "PRAGMA user_version = 1");
        var connection = await admin.CreateIdAsync("/api/connections", new { name = Fresh("results_db"), type = "sqlite", path });
        var enrichment = await admin.CreateIdAsync("/api/datastores",
            new { name = Fresh("results"), connection_id = connection, schema = "main", enrichment_only = true, teams = new[] { "T" } });
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{Datastore}/enrichment/{enrichment}");
        return (_enrichment = enrichment).Value;
    }

    private int? _enrichment;

    /// <summary>A fresh datastore in team T on the source, for a request that moves it elsewhere.</summary>
    public Task<int> MovableDatastoreAsync() =>
        Server.Admin.CreateIdAsync("/api/datastores", new { name = Fresh("movable"), connection_id = Connection, schema = "main", teams = new[] { "T" } });

    /// <summary>A fresh saved connection to another SQLite file: somewhere a datastore could be moved to.</summary>
    public Task<int> OtherConnectionAsync() =>
        Server.Admin.CreateIdAsync("/api/connections", new { name = Fresh("elsewhere"), type = "sqlite", path = Path.Combine(_folder, "elsewhere.db") });

    /// <summary>The unsaved form of the source connection, as the wizard and the test endpoint send it.</summary>
    public object UnsavedConnection(string? name = null) => new { name, type = "sqlite", path = SourcePath };

    /// <summary>
    /// An operation a worker elsewhere is running on T's datastore (heartbeat now), so that aborting it is about
    /// access: a real sync of the tiny source would often finish before the abort arrives.
    /// </summary>
    public async Task<int> RunningOperationAsync()
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var now = DateTime.UtcNow;
        var operation = new Operation
        {
            Type = OperationQueue.SyncType, DatastoreId = Datastore, State = OperationState.Running, Result = OperationResult.Running,
            WorkerId = "another-instance", HeartbeatAt = now, StartTime = now, CreatedAt = now,
        };
        db.Operations.Add(operation);
        await db.SaveChangesAsync();
        return operation.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>One <see cref="FeatureAccessWorld"/> per store, shared by the tests of a class that only probe it.</summary>
public sealed class FeatureAccessWorldPerStore() : PerStore<FeatureAccessWorld>(FeatureAccessWorld.StartAsync);
