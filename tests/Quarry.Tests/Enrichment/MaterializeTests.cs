using Npgsql;

namespace Quarry.Tests.Enrichment;

/// <summary>
/// <c>type: materialize</c>: a datastore's computed containers (or the containers named) copied into its enrichment
/// datastore as <c>&lt;prefix&gt;_mat_&lt;container&gt;</c>, read back from the real enrichment database. From another
/// database the rows are streamed in batches (2,500 rows cross two batch boundaries); on the source's own connection the
/// database copies them itself.
/// </summary>
public sealed class MaterializeTests
{
    private const string Orders = """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, status TEXT, placed TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
        INSERT INTO orders SELECT i, (i % 200) + 0.5, CASE WHEN i % 3 = 0 THEN 'open' ELSE 'shipped' END, '2026-01-0' || (1 + i % 9) FROM n;
        """;

    [Theory]
    [ClassData(typeof(BothEnrichmentKinds))]
    public async Task MaterializeStreamsComputedContainersFromAnotherDatabaseAndReplacesTheLastCopy(EnrichmentKind kind)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind, kind == EnrichmentKind.PostgreSql ? StoreKind.PostgreSql : StoreKind.Sqlite);
        var admin = world.Server.Admin;
        var (source, shop) = await SqliteShopAsync(world);
        await admin.CreateAsync("/api/computed-containers", new
        {
            name = "big_orders", datastore_id = shop, container_type = "computed_table", query = "select id, amount, status from orders where amount >= 100",
        });
        // Computed fields are copied with their container, computed by the source; the second reads the first.
        await admin.CreateAsync("/api/computed-fields", new
        {
            datastore_id = shop, container_name = "big_orders", name = "doubled", transformation = "customExpression", properties = new { expression = "amount * 2" },
        });
        await admin.CreateAsync("/api/computed-fields", new
        {
            datastore_id = shop, container_name = "big_orders", name = "status_code", transformation = "customExpression", properties = new { expression = "upper(status) || doubled" },
        });

        var first = await RunAsync(world, new { type = "materialize", datastore_id = shop });
        var copied = Assert.Single(first.GetProperty("summary").GetProperty("containers").EnumerateArray());
        Assert.Equal(("_shop_mat_big_orders", 1201L, false),
            (copied.GetProperty("table").GetString(), copied.GetProperty("rows").GetInt64(), copied.GetProperty("push_down").GetBoolean()));
        var rows = (await world.RowsAsync("_shop_mat_big_orders", "id"))!;
        Assert.Equal(1201, rows.Count);
        Assert.Equal((100L, 100.5, "shipped"), (Convert.ToInt64(rows[0]["id"]), Convert.ToDouble(rows[0]["amount"]), (string)rows[0]["status"]!));
        Assert.Equal(["id", "amount", "status", "doubled", "status_code"], rows[0].Keys);
        Assert.Equal((201.0, "SHIPPED201.0"), (Convert.ToDouble(rows[0]["doubled"]), (string)rows[0]["status_code"]!));
        Assert.Equal(2500L, Convert.ToInt64(rows[^1]["id"]));

        // A table named, with at most 10 rows of it; and the computed table again once the source has changed: its old copy is replaced.
        await SourceDatabases.ExecuteSqliteAsync(source, "DELETE FROM orders WHERE id > 1000");
        await RunAsync(world, new { type = "materialize", datastore_id = shop, container_names = new[] { "orders", "big_orders" }, max_records_per_partition = 10 });
        Assert.Equal(10, (await world.RowsAsync("_shop_mat_orders"))!.Count);
        Assert.Equal(10, (await world.RowsAsync("_shop_mat_big_orders"))!.Count);
        await RunAsync(world, new { type = "materialize", datastore_id = shop });
        Assert.Equal(500, (await world.RowsAsync("_shop_mat_big_orders"))!.Count);

        var unknown = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", new { type = "materialize", datastore_id = shop, container_names = new[] { "nope" } });
        var failed = await SyncApi.WaitAsync(admin, unknown.GetProperty("id").GetInt32());
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains("'nope'", failed.Message);
    }

    [Fact]
    public async Task MaterializeOnTheSourcesOwnPostgreSqlConnectionCopiesInsideTheDatabase()
    {
        await using var world = await EnrichmentWorld.StartAsync(EnrichmentKind.PostgreSql, StoreKind.PostgreSql);
        var admin = world.Server.Admin;
        var database = new NpgsqlConnectionStringBuilder(world.Target.PostgresConnectionString).Database;
        await TestPostgres.ExecuteAsync("""
            CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int, amount numeric(10,2), placed timestamptz);
            CREATE TABLE public.customers (id int PRIMARY KEY, country text, vip boolean);
            INSERT INTO public.customers SELECT i, CASE WHEN i % 2 = 0 THEN 'FR' ELSE 'DE' END, i % 5 = 0 FROM generate_series(1, 50) i;
            INSERT INTO public.orders SELECT i, 1 + i % 50, i * 1.25, timestamptz '2026-01-01' + i * interval '1 hour' FROM generate_series(1, 3000) i;
            """, world.Target.PostgresConnectionString);
        var connection = (await admin.ReadAsync($"/api/datastores/{world.Target.DatastoreId}")).GetProperty("connection").GetProperty("id").GetInt32();
        var shop = await admin.CreateIdAsync("/api/datastores", new
        {
            name = "shop", connection_id = connection, database, schema = "public", enrichment_datastore_id = world.Target.DatastoreId, enrichment_prefix = "_shop",
        });
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(admin, shop)).Result);
        await admin.CreateAsync("/api/computed-containers", new
        {
            name = "french_orders", datastore_id = shop, container_type = "computed_join", left_container = "orders", right_container = "customers",
            left_field = "customer_id", right_field = "id", left_select = new[] { "id", "amount", "placed" }, right_select = new[] { "country", "vip" },
        });
        await admin.CreateAsync("/api/computed-fields", new
        {
            datastore_id = shop, container_name = "french_orders", name = "tax", transformation = "customExpression", properties = new { expression = "amount * 0.2" },
        });
        // A join filtered and grouped as Qualytics writes it: the copy holds its groups.
        await admin.CreateAsync("/api/containers", new
        {
            name = "vip_orders_per_country", datastore_id = shop, container_type = "computed_join", left_container = "orders", right_container = "customers",
            left_field = "customer_id", right_field = "id", select_clause = "right_country AS country, count(*) AS orders",
            where_clause = "r.vip AND left_id <= 1000", group_by_clause = "right_country",
        });
        // A computed table naming its table unqualified reads the source's schema, as a scan does.
        await admin.CreateAsync("/api/computed-containers", new
        {
            name = "late_orders", datastore_id = shop, container_type = "computed_table", query = "select id from orders where placed >= timestamptz '2026-04-01'",
        });

        var done = await RunAsync(world, new { type = "materialize", datastore_id = shop });
        var copied = done.GetProperty("summary").GetProperty("containers").EnumerateArray().ToDictionary(c => c.GetProperty("container_name").GetString()!);
        Assert.All(copied.Values, c => Assert.True(c.GetProperty("push_down").GetBoolean()));
        Assert.Equal(3000L, copied["french_orders"].GetProperty("rows").GetInt64());
        var rows = (await world.RowsAsync("_shop_mat_french_orders", "id"))!;
        Assert.Equal(3000, rows.Count);
        Assert.Equal((1, 1.25m, "FR", false), (Convert.ToInt32(rows[0]["id"]), (decimal)rows[0]["amount"]!, (string)rows[0]["country"]!, (bool)rows[0]["vip"]!));
        Assert.IsType<DateTime>(rows[0]["placed"]);
        Assert.Equal(0.25m, (decimal)rows[0]["tax"]!);
        // Of orders 1 to 1000, 200 are of the ten vip customers: 100 of the five in FR, 100 of the five in DE.
        var perCountry = (await world.RowsAsync("_shop_mat_vip_orders_per_country", "country"))!;
        Assert.Equal([("DE", 100L), ("FR", 100L)], perCountry.Select(r => ((string)r["country"]!, Convert.ToInt64(r["orders"]))));
        var late = (await world.RowsAsync("_shop_mat_late_orders", "id"))!;
        Assert.Equal(copied["late_orders"].GetProperty("rows").GetInt64(), late.Count);
        Assert.Equal(3000 - 2160 + 1, late.Count);
    }

    [Fact]
    public async Task OnMySqlAFailedMaterializeLeavesThePreviousTableAsItWas()
    {
        await using var world = await EnrichmentWorld.StartAsync(EnrichmentKind.MySql, StoreKind.Sqlite);
        var admin = world.Server.Admin;
        var (_, shop) = await SqliteShopAsync(world);
        var big = await admin.CreateIdAsync("/api/computed-containers", new
        {
            name = "big_orders", datastore_id = shop, container_type = "computed_table", query = "select id, amount, status from orders where amount >= 100",
        });
        await RunAsync(world, new { type = "materialize", datastore_id = shop });
        var before = (await world.RowsAsync("_shop_mat_big_orders", "id"))!;
        Assert.Equal(1201, before.Count);

        // SQLite fails on row 2,201 (an integer overflow), after two batches were written: the copy in progress is dropped.
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/computed-containers/{big}", new
        {
            query = "select id, amount, CASE WHEN id > 2200 THEN abs(-9223372036854775808) ELSE id END AS boom from orders",
        });
        var queued = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", new { type = "materialize", datastore_id = shop });
        var failed = await SyncApi.WaitAsync(admin, queued.GetProperty("id").GetInt32());
        Assert.Equal(OperationResult.Failure, failed.Result);
        Assert.Contains("kept their previous tables", failed.Message);
        var after = (await world.RowsAsync("_shop_mat_big_orders", "id"))!;
        Assert.Equal(before.Select(r => (Convert.ToInt64(r["id"]), (string)r["status"]!)), after.Select(r => (Convert.ToInt64(r["id"]), (string)r["status"]!)));
        Assert.Equal(["id", "amount", "status"], after[0].Keys);
        Assert.Empty(await QuarryTablesAsync(world));

        // A run that succeeds swaps its copy in and leaves nothing of the old one behind.
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/computed-containers/{big}", new { query = "select id, amount * 2 AS doubled from orders where id <= 700" });
        await RunAsync(world, new { type = "materialize", datastore_id = shop });
        var replaced = (await world.RowsAsync("_shop_mat_big_orders", "id"))!;
        Assert.Equal(700, replaced.Count);
        Assert.Equal(["id", "doubled"], replaced[0].Keys);
        Assert.Empty(await QuarryTablesAsync(world));
    }

    /// <summary>A SQLite file holding <see cref="Orders"/> and a synced datastore over it, enriched into the world's target under <c>_shop</c>.</summary>
    private static async Task<(string Path, int Datastore)> SqliteShopAsync(EnrichmentWorld world)
    {
        var admin = world.Server.Admin;
        var source = Path.Combine(Directory.CreateTempSubdirectory("quarry-materialize-").FullName, "shop.db");
        await SourceDatabases.ExecuteSqliteAsync(source, Orders);
        var connection = await admin.CreateIdAsync("/api/connections", new { name = "shop-file", type = "sqlite", path = source });
        var shop = await admin.CreateIdAsync("/api/datastores", new
        {
            name = "shop", connection_id = connection, schema = "main", enrichment_datastore_id = world.Target.DatastoreId, enrichment_prefix = "_shop",
        });
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(admin, shop)).Result);
        return (source, shop);
    }

    /// <summary>Tables a materialize builds or retires on the way (<c>_quarry_stage_…</c>, <c>_quarry_old_…</c>) still in the MySQL schema.</summary>
    private static async Task<List<string>> QuarryTablesAsync(EnrichmentWorld world)
    {
        await using var db = new MySqlConnector.MySqlConnection(TestMariaDb.AdminConnectionString);
        await db.OpenAsync();
        await using var list = new MySqlConnector.MySqlCommand("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME LIKE '\\_quarry%'", db);
        list.Parameters.AddWithValue("@schema", world.Target.MySql!.Value.Schema);
        await using var reader = await list.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<JsonElement> RunAsync(EnrichmentWorld world, object body)
    {
        var queued = await world.Server.Admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", body);
        var done = await SyncApi.WaitAsync(world.Server.Admin, queued.GetProperty("id").GetInt32());
        Assert.True(done.Result == OperationResult.Success, done.Message);
        return await world.Server.Admin.ReadAsync($"/api/operations/{done.Id}");
    }
}
