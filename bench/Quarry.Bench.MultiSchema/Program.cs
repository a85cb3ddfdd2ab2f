using Npgsql;
using Quarry.Contracts.MultiSchema;
using Quarry.Server.MultiSchema;

// Multi-schema figures on a real PostgreSQL source with 1,000 schemas, through a real Quarry server over HTTP:
// discovery (list schemas), validation of 100 schemas, bulk create of 500 in one request — on both stores.
// Run with ./run.sh, which starts a throwaway PostgreSQL cluster (QUARRY_TEST_POSTGRES).
var admin = Environment.GetEnvironmentVariable("QUARRY_TEST_POSTGRES")
    ?? throw new InvalidOperationException("QUARRY_TEST_POSTGRES is not set; run bench/Quarry.Bench.MultiSchema/run.sh.");
const int SchemaCount = 1000;

var sourceDb = $"bench_source_{Guid.NewGuid():N}"[..28];
await ExecuteAsync(admin, $"CREATE DATABASE {sourceDb}");
var source = new NpgsqlConnectionStringBuilder(admin) { Database = sourceDb };
var setup = Stopwatch.StartNew();
await ExecuteAsync(source.ConnectionString, $"""
    DO $$ BEGIN
      FOR i IN 1..{SchemaCount} LOOP
        EXECUTE format('CREATE SCHEMA s%s; CREATE TABLE s%s.orders (id int PRIMARY KEY, total numeric, placed timestamptz); CREATE VIEW s%s.big AS SELECT * FROM s%s.orders WHERE total > 100', lpad(i::text, 4, '0'), lpad(i::text, 4, '0'), lpad(i::text, 4, '0'), lpad(i::text, 4, '0'));
      END LOOP;
    END $$;
    """);
Console.WriteLine($"source: {SchemaCount} schemas (a table and a view each) created in {setup.Elapsed.TotalSeconds:F1} s");

Console.WriteLine();
Console.WriteLine("| store | discovery: list 1,000 schemas (median of 5) | validate 100 schemas | bulk create 500 (one request) | bulk create 500 + enrichment + sync queued |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var store in new[] { "sqlite", "postgresql" })
{
    var storeDb = store == "postgresql" ? $"bench_store_{Guid.NewGuid():N}"[..27] : null;
    if (storeDb is not null) await ExecuteAsync(admin, $"CREATE DATABASE {storeDb}");
    var data = Directory.CreateTempSubdirectory("quarry-bench-").FullName;
    var token = "qry_bench_" + Guid.NewGuid().ToString("N");
    var options = new ServerOptions
    {
        Port = 0, DataDirectory = data, AdminToken = token, Workers = 0, // the minimum: one worker slot
        Database = storeDb is null ? null : new NpgsqlConnectionStringBuilder(admin) { Database = storeDb }.ConnectionString,
    };
    var app = await QuarryServer.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    await PostAsync(http, "/api/teams", new { name = "Analytics" });
    var connectionId = (await PostAsync(http, "/api/connections", new
    {
        name = "bench", type = "postgresql", host = source.Host, port = source.Port, username = source.Username, password = "unused", database = sourceDb,
    })).GetProperty("id").GetInt32();
    var enrichmentId = (await PostAsync(http, "/api/datastores", new { name = "enrichment", connection_id = connectionId, schema = "public", enrichment_only = true })).GetProperty("id").GetInt32();

    await GetAsync(http, $"/api/connections/{connectionId}/schemas"); // warm-up: JIT, pools
    var discovery = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        var schemas = await GetAsync(http, $"/api/connections/{connectionId}/schemas?catalog={sourceDb}");
        discovery.Add(watch.Elapsed.TotalMilliseconds);
        if (schemas.GetArrayLength() < SchemaCount) throw new InvalidOperationException($"discovered only {schemas.GetArrayLength()} schemas");
    }

    var names = Enumerable.Range(1, SchemaCount).Select(i => $"s{i:0000}").ToList();
    var validate = Stopwatch.StartNew();
    var results = await PostAsync(http, $"/api/connections/{connectionId}/datastores/validate", new { catalog = sourceDb, schemas = names.Take(100) });
    var validateMs = validate.Elapsed.TotalMilliseconds;
    var failed = results.GetProperty("results").EnumerateArray().Count(r => r.GetProperty("status").GetString() != SchemaValidation.Ok);
    if (failed > 0) throw new InvalidOperationException($"{failed} schemas failed validation");

    var bulk = Stopwatch.StartNew();
    var created = await PostAsync(http, $"/api/connections/{connectionId}/datastores/bulk", new { catalog = sourceDb, schemas = names.Take(500), name_template = "prod_{{ schema }}", teams = new[] { "Analytics" } });
    var bulkMs = bulk.Elapsed.TotalMilliseconds;
    Check(created, 500);

    var full = Stopwatch.StartNew();
    var linked = await PostAsync(http, $"/api/connections/{connectionId}/datastores/bulk", new
    {
        catalog = sourceDb, schemas = names.Skip(500), name_template = "prod_{{ schema }}", teams = new[] { "Analytics" },
        group = "bench", enrichment_datastore_id = enrichmentId, trigger_catalog = true,
    });
    var fullMs = full.Elapsed.TotalMilliseconds;
    Check(linked, 500);

    discovery.Sort();
    Console.WriteLine($"| {store} | {discovery[2]:F0} ms | {validateMs:F0} ms | {bulkMs:F0} ms | {fullMs:F0} ms |");

    await app.StopAsync();
    await app.DisposeAsync();
    NpgsqlConnection.ClearAllPools();
    if (storeDb is not null) await ExecuteAsync(admin, $"DROP DATABASE {storeDb} WITH (FORCE)");
    Directory.Delete(data, recursive: true);
}
await ExecuteAsync(admin, $"DROP DATABASE {sourceDb} WITH (FORCE)");
Console.WriteLine();
Console.WriteLine("goals: discovery < 1 s, bulk create of 500 < 3 s");

static void Check(JsonElement result, int expected)
{
    var count = result.GetProperty("created").GetArrayLength();
    if (count != expected) throw new InvalidOperationException($"created {count} of {expected}: {result.GetProperty("errors")}");
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

static async Task<JsonElement> GetAsync(HttpClient http, string path)
{
    var response = await http.GetAsync(path);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode}: {text}");
    return JsonDocument.Parse(text).RootElement.Clone();
}

static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
{
    var response = await http.PostAsJsonAsync(path, body);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode}: {text}");
    return JsonDocument.Parse(text).RootElement.Clone();
}
